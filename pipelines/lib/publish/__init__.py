"""Published outputs: clinic pack, board report, scrutiny export; restricted worklists."""
