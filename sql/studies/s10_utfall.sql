-- S10: outcome within a year, kohort by kohort. Each person's start is their
-- first Aktualiserad (int_s10_start), their kohort its calendar half-year
-- (2019H1, 2019H2), their status the S1 rules at start + 1 year
-- (int_s1_status). Kohorter shown: from the scope's first kohort with an
-- aktualisering to the last mature one (last day + 1 year on or before
-- as_of; int_s10_kohort), none skipped, each with every S1 status in the
-- spec's order (0 where none). andel = antal / the kohort's size (blank when
-- 0), with its 95 % Wilson interval andel_lag – andel_hog.
-- counts: antal
-- shares: andel, andel_lag, andel_hog
-- key: kohort, status
-- ratio: andel = antal / sum(antal by kohort)
with
persons as (
    select sc.scope, p.kohort, st.status
    from int_s10_start p
    join int_scope sc using (kommunkod)
    join int_s10_kohort k on k.kohort = p.kohort and k.mogen
    join int_s1_status st on st.kommunkod = p.kommunkod and st.person = p.person and st.cutoff = p.cutoff
),
forsta as (
    select sc.scope, min(k.nr) as nr
    from int_s10_start p
    join int_scope sc using (kommunkod)
    join int_s10_kohort k on k.kohort = p.kohort
    group by all
),
kohorter as (
    select f.scope, k.nr, k.kohort
    from forsta f
    join int_s10_kohort k on k.nr >= f.nr and k.mogen
),
statuses as (select sort, varde as status from int_lista where lista = 's1_status'),
counts as (select scope, kohort, status, count(*) as antal from persons group by all),
totals as (select scope, kohort, count(*) as n from persons group by all),
final as (
    select
        ko.scope, ko.nr * 10 + st.sort as sort, ko.kohort, st.status,
        cast(coalesce(c.antal, 0) as bigint) as antal,
        cast(coalesce(c.antal, 0) as double) / nullif(t.n, 0) as andel,
        wilson_lag(coalesce(c.antal, 0), t.n) as andel_lag,
        wilson_hog(coalesce(c.antal, 0), t.n) as andel_hog
    from kohorter ko
    cross join statuses st
    left join counts c on c.scope = ko.scope and c.kohort = ko.kohort and c.status = st.status
    left join totals t on t.scope = ko.scope and t.kohort = ko.kohort
)
select * from final
