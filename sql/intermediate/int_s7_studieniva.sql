-- S7: the study level of each SenSysReg code, for the check that a latest
-- study level goes backwards (sensysreg_bakat). 0 = no studies (INGEN);
-- 1 = introductory or unspecified studies (SFI, OVRIGA_STUDIER);
-- 2 = studies at gymnasial level (GYMNASIE, KOMVUX, FOLKHOGSKOLA). Moving
-- between codes of one level (e.g. GYMNASIE → KOMVUX, the usual path after
-- gymnasieskolan) is not a regression.
with
final as (
    select * from (values
        ('INGEN', 0),
        ('SFI', 1),
        ('OVRIGA_STUDIER', 1),
        ('GYMNASIE', 2),
        ('KOMVUX', 2),
        ('FOLKHOGSKOLA', 2)
    ) t(kod, niva)
)
select * from final
