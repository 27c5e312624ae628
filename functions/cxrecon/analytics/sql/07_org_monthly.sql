-- Report 7: Interactions per organisation per month.
-- The organisation is the Account (id prefix 001) an interaction is related to now: the pipeline's
-- decision in the window, or a reviewer's latest one in the window when there is one. related_to_org
-- counts those related to the organisation itself because the person is not in Salesforce.
-- Interactions related only to a Case are not attributed here (their account is not in the outputs).
-- parameters: date_from, date_to, date_from, date_to
WITH pipeline AS (
    SELECT interaction_id, dt, what_id, outcome
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by = 'pipeline'
),
reviewed AS (
    SELECT interaction_id, max_by(what_id, decided_at) AS what_id, max_by(outcome, decided_at) AS outcome
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by <> 'pipeline'
    GROUP BY interaction_id
),
latest AS (
    SELECT
        p.dt,
        CASE WHEN r.interaction_id IS NULL THEN p.what_id ELSE r.what_id END AS what_id,
        coalesce(r.outcome, p.outcome) AS outcome
    FROM pipeline AS p
    LEFT JOIN reviewed AS r ON r.interaction_id = p.interaction_id
)
SELECT
    substr(dt, 1, 7) AS month,
    what_id AS account_id,
    count(*) AS interactions,
    sum(CASE WHEN outcome = 'related_to_org' THEN 1 ELSE 0 END) AS related_to_org
FROM latest
WHERE outcome IN ('related', 'related_to_org', 'already_related') AND substr(what_id, 1, 3) = '001'
GROUP BY substr(dt, 1, 7), what_id
ORDER BY month, interactions DESC, account_id
