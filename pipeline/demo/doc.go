// Package demo generates synthetic input exports in the canonical layout of
// shared/spec/inputs.md: weekly Extens extracts, GRUUS dropout reports, the
// KAA register (individer, sysselsättning, åtgärder), ESF participants, a
// time study and the område and school reference files, one folder per
// kommun.
//
// The data are made up but hang together the way real exports do: each
// youth has one way through gymnasium (programmes, dropouts, returns,
// examen or studiebevis) that the extracts show week by week, GRUUS reports
// the dropouts on their Avgangsdatum, the KAA register aktualiserar the
// youths who leave without an examen, and the ESF project enrols some of
// them. Kommun 2281 is modelled on Sundsvall (the seed report
// drivkraftspunkten-slutrapport-sundsvall-2021): its högstadieskolor with
// their pupil counts, the merged and renamed schools, its bostadsområden,
// the February 2020 time study; other kommuner get generic names.
//
// Generation is deterministic: the same Options give the same bytes, on
// any platform and with any number of CPUs. Each kommun and each part of
// it (population, register, time study, …) draws from its own PCG stream
// seeded from Options.Seed, decisions use integer arithmetic only, and
// nothing depends on map order or the clock. Extens files are streamed row
// by row (a kommun's extracts are never held in memory), kommuner and the
// weeks of a kommun are written in parallel.
//
// With Options.BadRows the first kommun gets a few deliberately bad rows,
// each breaking one rule of inputs.md ("Bad input"); see BadRowsList. The
// CLI verb `kaa generate` calls Generate; fixtures/inputs and
// fixtures/region were made by TestWriteFixtures (see fixtures/README.md).
package demo
