-- S9: per factor, in the order of s9_utfall, Pearson's chi-square test of
-- independence between the factor's values with antal > 0 and studier yes /
-- no (int_s9_test): n persons, frihetsgrader (values − 1), chi2 and its p
-- (upper tail). frihetsgrader, chi2 and p blank when fewer than two values
-- have antal > 0; chi2 and p blank when nobody or everybody studies.
-- counts: n
-- plain: frihetsgrader
-- sum: n = s1_status.antal by faktor
with
final as (
    select scope, sort, faktor, n, frihetsgrader, chi2, p
    from int_s9_test
)
select * from final
