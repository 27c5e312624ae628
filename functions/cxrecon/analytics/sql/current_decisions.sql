-- The current_decisions view: the latest decision per interaction (the latest decided_at wins).
-- Same columns as decisions. Ties on decided_at are broken by partition day, file and line.
CREATE OR REPLACE VIEW current_decisions AS
SELECT
    interaction_id, master_interaction_id, channel, direction, started_at, agent_id, agent_name, skill,
    source_file, source_line, file_id, outcome, reason, task_id, who_ids, what_id, candidates, evidence,
    error, decided_at, decided_by, previous_what_id, previous_who_ids, dt
FROM (
    SELECT
        d.*,
        row_number() OVER (
            PARTITION BY d.interaction_id
            ORDER BY d.decided_at DESC, d.dt DESC, d.file_id DESC, d.source_line DESC
        ) AS version_rank
    FROM decisions AS d
) AS ranked
WHERE version_rank = 1
