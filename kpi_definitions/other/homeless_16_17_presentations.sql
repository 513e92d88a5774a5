-- One row per presentation of a 16- or 17-year-old as homeless, dated by the presentation.
select
    presentation_date as event_date,
    1 as numerator,
    cast(null as double) as denominator
from ext_homeless_16_17
