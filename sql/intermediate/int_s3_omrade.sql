-- S3: the områden of each kommun's statistics year — the largest Ar of
-- omradesstatistik that is on or before the calendar year of s1_to, chosen
-- per kommun — with their population aged 0–19 and the six background
-- factors as given (NULL where blank). omrade is trimmed; omrade_key (lower
-- case) is what postnummer mappings are matched on.
with
years as (
    select kommunkod, max(ar) as ar
    from stg_omradesstatistik
    where ar <= year(getvariable('s1_to'))
    group by all
),
final as (
    select
        s.kommunkod,
        trim(s.omrade) as omrade,
        lower(trim(s.omrade)) as omrade_key,
        s.ar,
        s.befolkning0_19,
        s.andelforgymnasial,
        s.andeloppetarbetslosa,
        s.andelekonomisktbistand,
        s.medianinkomst,
        s.ohalsotal,
        s.sjalvskattadhalsa
    from stg_omradesstatistik s
    join years y using (kommunkod, ar)
)
select * from final
