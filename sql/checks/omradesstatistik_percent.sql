-- severity: error
-- rule: the shares of omradesstatistik are percent (23.5 for 23.5 %), not fractions (0.235): a file whose every share is between 0 and 1 gives fractions
with
per_file as (
    select
        file_id,
        count(andelforgymnasial) + count(andeloppetarbetslosa) + count(andelekonomisktbistand) as andelar,
        greatest(
            coalesce(max(andelforgymnasial), 0),
            coalesce(max(andeloppetarbetslosa), 0),
            coalesce(max(andelekonomisktbistand), 0)
        ) as storsta_andel
    from stg_omradesstatistik
    group by file_id
),
final as (
    select f.path, p.andelar, p.storsta_andel
    from per_file p
    join run_file f using (file_id)
    -- three shares at least: one område's few low shares can be percent
    where p.andelar >= 3 and p.storsta_andel > 0 and p.storsta_andel <= 1
)
select * from final
