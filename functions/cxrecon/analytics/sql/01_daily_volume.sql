-- Report 1: Daily volume and automation rate by channel and outcome.
-- The pipeline's decisions per decision day, channel and outcome (a file processed again counts again).
-- automation_rate_pct (per day and channel) = automated / (automated + queued_for_review),
-- where automated = related + related_to_org + already_related; rejected and skipped rows are left out.
-- parameters: date_from, date_to
WITH counts AS (
    SELECT dt AS day, coalesce(channel, 'unknown') AS channel, outcome, count(*) AS interactions
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by = 'pipeline'
    GROUP BY dt, coalesce(channel, 'unknown'), outcome
),
totals AS (
    SELECT
        day,
        channel,
        sum(interactions) AS channel_interactions,
        sum(CASE WHEN outcome IN ('related', 'related_to_org', 'already_related') THEN interactions ELSE 0 END)
            AS automated,
        sum(CASE WHEN outcome = 'queued_for_review' THEN interactions ELSE 0 END) AS queued
    FROM counts
    GROUP BY day, channel
)
SELECT
    c.day,
    c.channel,
    c.outcome,
    c.interactions,
    t.channel_interactions,
    round(100 * CAST(t.automated AS double) / nullif(t.automated + t.queued, 0), 1) AS automation_rate_pct
FROM counts AS c
JOIN totals AS t ON t.day = c.day AND t.channel = c.channel
ORDER BY c.day, c.channel, c.outcome
