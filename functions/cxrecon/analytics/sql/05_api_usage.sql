-- Report 5: Salesforce API calls per run and per 1,000 interactions.
-- One row per run (export file), then a total row (day 'total'). Runs are dated by the day their file started.
-- parameters: date_from, date_to
SELECT
    coalesce(dt, 'total') AS day,
    source_file,
    file_id,
    status,
    sum(rows_read) AS rows_read,
    sum(salesforce_calls) AS salesforce_calls,
    round(1000 * CAST(sum(salesforce_calls) AS double) / nullif(sum(rows_read), 0), 1) AS calls_per_1000,
    max(date_diff('second', started_at, finished_at)) AS duration_seconds
FROM runs
WHERE dt BETWEEN ? AND ?
GROUP BY GROUPING SETS ((dt, source_file, file_id, status), ())
HAVING count(*) > 0
ORDER BY day, source_file, file_id
