"""Golden test: care leavers staying put with their former foster carers (LAIT 354) (issue 18).
The expected number is worked out by hand below. One extract, dated Mon 31 July 2023: the
care-leaver state is in force from that day, so the month ending 31 July 2023 has the value.
"""

from pathlib import Path

from tests.kpis.harness import run_kpis

PERSON = """
pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_death_date
S1,F,WBRI,2004-06-15,
S2,M,WBRI,2003-03-10,
S3,F,WBRI,2005-01-20,
S4,M,WBRI,2004-11-11,
S5,F,WBRI,2005-05-05,
S6,M,WBRI,2002-07-31,
S7,F,WBRI,2005-02-02,
S8,M,WBRI,2004-09-09,
"""
EPISODES = """
clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased,clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date
E1,S1,2015-01-01,S,N1,2022-06-15,E8,,
E2,S2,2015-01-01,S,N1,2021-03-10,E8,,
E3,S3,2015-01-01,S,N1,2023-01-20,E8,,
E4,S4,2015-01-01,S,N1,2022-11-12,E8,,
E5,S5,2015-01-01,S,N1,2023-05-05,E8,,
E6,S6,2015-01-01,S,N1,2020-07-31,E8,,
E7,S7,2015-01-01,S,N1,2023-02-02,E8,,
E8,S8,2015-01-01,S,N1,2022-09-09,E8,,
"""
PLACEMENTS = """
clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,clap_cla_placement_type,clap_cla_placement_provider,clap_cla_placement_change_reason
P1,,S1,2019-01-01,2022-06-15,U4,PR1,
P2,,S2,2015-01-01,2021-03-10,U6,PR4,
P3,,S3,2015-01-01,2023-01-20,K2,PR4,
P4,,S4,2015-01-01,2022-11-11,U4,PR1,
P5,,S5,2015-01-01,2023-05-05,U1,PR1,
P6,,S6,2015-01-01,2020-07-31,U4,PR1,
P7,,S7,2015-01-01,2023-02-02,U5,PR1,
P8,,S8,2015-01-01,2022-09-09,U4,PR1,
"""
CARE_LEAVERS = """
clea_table_id,clea_person_id,clea_care_leaver_eligibility,clea_care_leaver_in_touch,clea_care_leaver_latest_contact,clea_care_leaver_accommodation,clea_care_leaver_accom_suitable,clea_care_leaver_activity,clea_pathway_plan_review_date,clea_care_leaver_personal_advisor,clea_care_leaver_allocated_team
T1,S1,Former Relevant,YES,2023-07-01,Z,1,F1,,PA1,T1
T2,S2,Former Relevant,YES,2023-07-01,Z1,1,F1,,PA1,T1
T3,S3,Former Relevant,YES,2023-07-01,Z,1,F1,,PA1,T1
T4,S4,Former Relevant,YES,2023-07-01,Z,1,F1,,PA1,T1
T5,S5,Former Relevant,YES,2023-07-01,U,1,F1,,PA1,T1
T6,S6,Former Relevant,YES,2023-07-01,Z,1,F1,,PA1,T1
T7,S7,Former Relevant,DIED,2023-07-01,,,,,PA1,T1
T8,S8,Qualifying,YES,2023-07-01,Z,1,F1,,PA1,T1
"""
# Cohort on 31 July 2023: Former Relevant, 18-20, not died, whose CLA episode ceased on the 18th
# birthday with a foster placement (U1-U6) ending that day.
# - S1 (18 on 2022-06-15, U4 and episode end then; 19 now): in; accommodation Z -> staying put.
# - S2 (18 on 2021-03-10, U6; 20 now): in; Z1 (Z with a suitability suffix) -> staying put.
# - S3: left a children's home (K2): out.  S4: the episode ceased the day after the placement
#   ended (2022-11-12), not on the birthday: out.  S6: 21 today (born 2002-07-31): out.
# - S5 (18 on 2023-05-05, U1): in; accommodation U (independent living) -> not staying put.
# - S7: DIED: out.  S8: Qualifying, not Former Relevant: out.
# -> 2 of 3 = 66.666667.


def test_staying_put_pct(tmp_path: Path) -> None:
    out = run_kpis(
        tmp_path,
        {
            "ssd_person": PERSON,
            "ssd_cla_episodes": EPISODES,
            "ssd_cla_placement": PLACEMENTS,
            "ssd_care_leavers": CARE_LEAVERS,
        },
        "2023-07-31",
        ["staying_put_pct"],
    )
    assert out.row("staying_put_pct", "month", "2023-07-31") == (2, 3, 66.666667)
