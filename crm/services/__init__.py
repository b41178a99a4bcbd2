"""Use cases. A service's public method opens its unit of work, commits it and returns (the
switch to simple mode: one per batch of leads); the steps use cases share (create_item,
move_items, the item edits, copy_item, the conversion steps) work in their caller's."""
