"""The contract's code sets (canonical values) and the synonyms read as each."""

# A full-time equivalent is 0 to 1 (CSWW FTE and FTE30, domain notes §2.4): hours (37) or a
# percentage (100) typed in its place are caught at staging.
FTE = (0.0, 1.0)


# Code sets (canonical values). Sources: CIN census and SSDA903 specifications (domain notes §2).
REFERRAL_SOURCES = (
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
    "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10",
)  # fmt: skip
PRIMARY_NEED = tuple(f"N{i}" for i in range(10))
CLOSE_REASONS = tuple(f"RC{i}" for i in range(1, 10))
ABUSE_CATEGORIES = ("NEG", "PHY", "SAB", "EMO", "MUL")
ABUSE_CATEGORY_MAP = {
    "NEGLECT": "NEG",
    "PHYSICAL ABUSE": "PHY",
    "PHYSICAL": "PHY",
    "SEXUAL ABUSE": "SAB",
    "SEXUAL": "SAB",
    "EMOTIONAL ABUSE": "EMO",
    "EMOTIONAL": "EMO",
    "MULTIPLE": "MUL",
    "MULTIPLE/NOT RECOMMENDED": "MUL",
}
NEW_EPISODE_REASONS = ("S", "L", "P", "T", "B", "U")
CEASED_REASONS = (
    "X1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B",
    "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9",
)  # fmt: skip
PLACEMENT_TYPES = (
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
    "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
    "Z11", "Z12", "Z13", "Z14",
)  # fmt: skip
PLACEMENT_PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
LEGAL_STATUSES = (
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",
)  # fmt: skip
SEX_MAP = {"MALE": "M", "1": "M", "FEMALE": "F", "2": "F", "UNKNOWN": "U", "0": "U", "9": "U"}
MISSING_TYPE_MAP = {"MISSING": "M", "AWAY": "A"}
RHI_FLAG_MAP = {"YES": "Y", "NO": "N", "N/A": "NA", "TRUE": "Y", "FALSE": "N", "1": "Y", "0": "N"}
# SSD clah_health_check_type: the SSDA903 OC2 checks a child looked after for 12 months has.
HEALTH_CHECK_TYPES = ("HEALTH_ASSESSMENT", "DENTAL_CHECK", "HEALTH_SURVEILLANCE")
HEALTH_CHECK_TYPE_MAP = {
    "HEALTH ASSESSMENT": "HEALTH_ASSESSMENT",
    "HEALTH-ASSESSMENT": "HEALTH_ASSESSMENT",
    "DENTAL CHECK": "DENTAL_CHECK",
    "DENTAL": "DENTAL_CHECK",
    "TEETH CHECK": "DENTAL_CHECK",
    "HEALTH SURVEILLANCE": "HEALTH_SURVEILLANCE",
    "HEALTH SURVEILLANCE CHECK": "HEALTH_SURVEILLANCE",
}
CARE_LEAVER_ELIGIBILITY = (
    "Relevant",
    "Former Relevant",
    "Eligible",
    "Qualifying",
    "No Current Eligibility",
)
CARE_LEAVER_ELIGIBILITY_MAP = {
    "FORMER_RELEVANT": "Former Relevant",
    "FORMER-RELEVANT": "Former Relevant",
    "NO_CURRENT_ELIGIBILITY": "No Current Eligibility",
}
IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
IN_TOUCH_MAP = {"Y": "YES", "N": "NO"}
ACCOM_SUITABLE_MAP = {"Y": "1", "YES": "1", "N": "2", "NO": "2"}
ACTIVITY = (
    "F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0",
)  # fmt: skip
# 903 ACCOM: a letter, with or without its suitability suffix; 0 = not known.
ACCOMMODATION = (
    *(f"{letter}{suffix}" for letter in "BCDEGHKRSTUVWXYZ" for suffix in ("", "1", "2")),
    "0",
)
WORKER_CHANGE_REASONS = (
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN",
    "SWDIED", "OTHERS",
)  # fmt: skip
CONTACT_DECISIONS = ("referral", "early_help", "nfa", "advice", "existing_case", "other")
PRIORITIES = ("red", "amber", "green")
ASSESSMENT_TYPES = ("single", "initial", "core")
ABSENCE_REASONS = ("SIC", "MAT", "OTH", "PUB", "TRN", "UNA", "UNP")
HOMELESS_OUTCOMES = ("accommodated_s20", "s17_support", "housing", "returned_home", "other")
EDUCATION_STATUSES = ("CME", "EHE")
# Keeping children safe in education 2023, Part 4: the outcomes of an allegation.
LADO_OUTCOMES = ("substantiated", "unsubstantiated", "unfounded", "false", "malicious", "nfa")
LADO_OUTCOME_MAP = {"NO FURTHER ACTION": "nfa"}
ORG_ROLES = ("1", "2", "3", "4", "5", "6")
