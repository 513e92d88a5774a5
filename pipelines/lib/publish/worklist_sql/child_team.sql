-- Block child_team: team and worker of every child: the worker's team, else the open referral's
-- team.
select
    coalesce(w.person_id, r.person_id) as person_id,
    w.professional_id,
    coalesce(w.worker_team, r.referral_team) as team
from child_worker w
full join child_referral r on r.person_id = w.person_id
