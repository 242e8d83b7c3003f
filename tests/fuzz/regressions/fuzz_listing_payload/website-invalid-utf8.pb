

3910118128_
?é«˜çŸ¥çœŒãƒ»é«˜çŸ¥å¸‚ç—…é™¢ä¼æ¥­å›£ç«‹é«˜çŸ¥åŒ»ç™‚ã‚»ãƒ³ã‚¿ãƒ¼Kochi Health Sciences Center39"7818555*é«˜çŸ¥å¸‚æ± 2125ç•ªåœ°12	Ù_vOÆ@@&äƒÍ²`@8@ìJ01001J01003J02001J05001Rpet_ctRrobotic_surgeryRchemotherapyRhealth_checkup_premiumZjaZenZzhb
JMIP
2028-03-31jCNjVNjUSjRUr 
health_checkup_premium°® ÷6r
second_opinionĞ†À©x‚https://www2.khsc.or.jpÀŠ+
international@example.jp+81-88-837-3000’
2026-11-01š
treatmentsš	languagesšaccreditationsšaccepts_countriesšprice_bandsšremote_second_opinionšinternational_contact