-- Which listing is being pushed now, and until when the worker that claimed it keeps it (a worker
-- that dies leaves it to the others once this passes). Kept apart from next_attempt_at, which a new
-- quantity resets to now(): with replicas, that reset let a second worker push the new quantity
-- while the first was still pushing the older one, so the two writes could reach the platform in
-- either order and leave the older quantity listed until the next push.
ALTER TABLE listing_sync ADD COLUMN claimed_until timestamptz;
