-- Report 4: Reviewer throughput and overturned pipeline decisions.
-- A reviewer decision overturns when it replaced an existing relation (previous_what_id set)
-- with a different one. overturned_share_pct = overturned / the pipeline's automated decisions
-- (related, related_to_org, already_related) in the window.
-- A total row ('(all reviewers)') first, then one row per reviewer.
-- parameters: date_from, date_to, date_from, date_to
WITH reviews AS (
    SELECT
        decided_by AS reviewer,
        dt,
        interaction_id,
        CASE
            WHEN previous_what_id IS NOT NULL
                AND (what_id IS DISTINCT FROM previous_what_id OR who_ids IS DISTINCT FROM previous_who_ids)
            THEN 1 ELSE 0
        END AS overturned
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by <> 'pipeline'
),
automated AS (
    SELECT count(*) AS decisions
    FROM decisions
    WHERE dt BETWEEN ? AND ?
        AND decided_by = 'pipeline'
        AND outcome IN ('related', 'related_to_org', 'already_related')
)
SELECT
    CASE WHEN grouping(r.reviewer) = 1 THEN '(all reviewers)' ELSE r.reviewer END AS reviewer,
    count(*) AS decisions,
    count(DISTINCT r.interaction_id) AS interactions,
    count(DISTINCT r.dt) AS active_days,
    round(CAST(count(*) AS double) / count(DISTINCT r.dt), 1) AS decisions_per_active_day,
    sum(r.overturned) AS overturned,
    max(a.decisions) AS pipeline_automated,
    round(100 * CAST(sum(r.overturned) AS double) / nullif(max(a.decisions), 0), 2) AS overturned_share_pct
FROM reviews AS r
CROSS JOIN automated AS a
GROUP BY ROLLUP (r.reviewer)
HAVING count(*) > 0
ORDER BY decisions DESC, reviewer
