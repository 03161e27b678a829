-- S9's rows in its period, per scope: the S1 cohort (see int_s1_rader).
with
final as (select * from int_s1_rader)
select * from final
