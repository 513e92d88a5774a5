-- Block team_names: team names from ssd_department (one name per id).
select dept_team_id as team, max(dept_team_name) as team_name
from ssd_department
where dept_team_id is not null
group by dept_team_id
