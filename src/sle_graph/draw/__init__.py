"""Drawing the graph: Graphviz diagrams (:mod:`.diagram`) styled by one table (:mod:`.style`)."""
