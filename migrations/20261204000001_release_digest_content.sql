-- Release digests now cover what a release publishes about each response (its id, its
-- answers and its invitation columns), not only its id, so an edited answer or a moved
-- invitation column is seen. Digests written before cannot be compared with the new
-- ones: forget them (the count and group-count rules still hold for those releases).
UPDATE releases SET described = NULL, group_described = NULL;
