-- Report 3: Review backlog: count, age percentiles, oldest items.
-- Review backlog as of the end of date_to (or now, if earlier). An item is in the backlog
-- when its latest status is open, claimed or requeued. Ages are in hours since it was queued.
-- A total row (reason '(all)') first, then one row per reason.
-- parameters: date_to, date_to
WITH latest AS (
    SELECT
        interaction_id,
        status,
        reason,
        queued_at,
        row_number() OVER (PARTITION BY interaction_id ORDER BY changed_at DESC) AS version_rank
    FROM review_items
    WHERE dt <= ?
),
backlog AS (
    SELECT
        interaction_id,
        status,
        coalesce(reason, 'unknown') AS reason,
        queued_at,
        CAST(date_diff(
            'second',
            queued_at,
            least(CAST(? AS timestamp) + INTERVAL '1' DAY, CAST(current_timestamp AS timestamp))
        ) AS double) / 3600 AS age_hours
    FROM latest
    WHERE version_rank = 1 AND status IN ('open', 'claimed', 'requeued')
)
SELECT
    CASE WHEN grouping(reason) = 1 THEN '(all)' ELSE reason END AS reason,
    count(*) AS items,
    sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS status_open,
    sum(CASE WHEN status = 'claimed' THEN 1 ELSE 0 END) AS status_claimed,
    sum(CASE WHEN status = 'requeued' THEN 1 ELSE 0 END) AS status_requeued,
    sum(CASE WHEN age_hours < 24 THEN 1 ELSE 0 END) AS under_1d,
    sum(CASE WHEN age_hours >= 24 AND age_hours < 72 THEN 1 ELSE 0 END) AS from_1d_to_3d,
    sum(CASE WHEN age_hours >= 72 AND age_hours < 168 THEN 1 ELSE 0 END) AS from_3d_to_7d,
    sum(CASE WHEN age_hours >= 168 THEN 1 ELSE 0 END) AS over_7d,
    round(approx_percentile(age_hours, 0.5), 1) AS p50_age_hours,
    round(approx_percentile(age_hours, 0.9), 1) AS p90_age_hours,
    round(max(age_hours), 1) AS max_age_hours,
    max_by(interaction_id, age_hours) AS oldest_interaction_id,
    min(queued_at) AS oldest_queued_at
FROM backlog
GROUP BY ROLLUP (reason)
HAVING count(*) > 0
ORDER BY items DESC, reason
