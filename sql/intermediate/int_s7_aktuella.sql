-- S7: the periods aktuella some day in the half-year (int_s7_halvar).
-- Aktuell on day d: Aktualiserad ≤ d < Avaktualiserad (or no
-- Avaktualiserad).
with
halvar as (
    select p_from, p_to from int_s7_halvar
),
final as (
    select p.*
    from int_s7_perioder p
    cross join halvar h
    where p.aktualiserad <= h.p_to
      and (p.avaktualiserad is null or p.avaktualiserad > greatest(p.aktualiserad, h.p_from))
)
select * from final
