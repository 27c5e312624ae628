-- Report 2: Compliance: interactions still unrelated, by team and agent.
-- The pipeline's decisions in the window, each with its current outcome: a reviewer's latest decision
-- in the window replaces the pipeline's. Unrelated = queued_for_review or rejected. Team = CXone skill.
-- Skipped interactions need no Task and are left out. Only teams and agents with at least one unrelated
-- interaction are listed.
-- parameters: date_from, date_to, date_from, date_to
WITH pipeline AS (
    SELECT interaction_id, skill, agent_id, agent_name, outcome
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by = 'pipeline' AND outcome <> 'skipped'
),
reviewed AS (
    SELECT interaction_id, max_by(outcome, decided_at) AS outcome
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by <> 'pipeline'
    GROUP BY interaction_id
),
latest AS (
    SELECT p.skill, p.agent_id, p.agent_name, coalesce(r.outcome, p.outcome) AS outcome
    FROM pipeline AS p
    LEFT JOIN reviewed AS r ON r.interaction_id = p.interaction_id
)
SELECT
    coalesce(skill, '(no team)') AS team,
    coalesce(agent_id, '') AS agent_id,
    coalesce(agent_name, '(no agent)') AS agent_name,
    count(*) AS interactions,
    sum(CASE WHEN outcome IN ('queued_for_review', 'rejected') THEN 1 ELSE 0 END) AS unrelated,
    sum(CASE WHEN outcome = 'queued_for_review' THEN 1 ELSE 0 END) AS queued_for_review,
    sum(CASE WHEN outcome = 'rejected' THEN 1 ELSE 0 END) AS rejected,
    round(
        100 * CAST(sum(CASE WHEN outcome IN ('queued_for_review', 'rejected') THEN 1 ELSE 0 END) AS double)
        / count(*),
        1
    ) AS unrelated_pct
FROM latest
GROUP BY coalesce(skill, '(no team)'), coalesce(agent_id, ''), coalesce(agent_name, '(no agent)')
HAVING sum(CASE WHEN outcome IN ('queued_for_review', 'rejected') THEN 1 ELSE 0 END) > 0
ORDER BY unrelated DESC, team, agent_name
