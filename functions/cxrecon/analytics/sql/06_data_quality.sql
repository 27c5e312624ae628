-- Report 6: Data quality: rejected rows by reason and source file.
-- With the share of that file's rows (every row read is decided or rejected, so the pipeline's rows per file are the rows read).
-- parameters: date_from, date_to
WITH pipeline AS (
    SELECT source_file, outcome, reason
    FROM decisions
    WHERE dt BETWEEN ? AND ? AND decided_by = 'pipeline'
),
files AS (
    SELECT source_file, count(*) AS file_rows
    FROM pipeline
    GROUP BY source_file
)
SELECT
    p.reason,
    p.source_file,
    count(*) AS rejected,
    f.file_rows,
    round(100 * CAST(count(*) AS double) / f.file_rows, 1) AS rejected_pct
FROM pipeline AS p
JOIN files AS f ON f.source_file = p.source_file
WHERE p.outcome = 'rejected'
GROUP BY p.reason, p.source_file, f.file_rows
ORDER BY rejected DESC, p.reason, p.source_file
