-- Version 13: which channel processes are sending. `loa run` notes each channel it sends on every minute
-- (and forgets it when it stops), so the console can say when messages only wait in the queue. A broadcast
-- an officer cancels has its unsent deliveries withdrawn (status 'withdrawn'; the engine sends 'pending' only).
CREATE TABLE senders (
    channel   TEXT PRIMARY KEY,
    seen_at   TEXT NOT NULL   -- UTC stamp
);
