"""Analysis: RDF to networkx (:mod:`graph.analysis.projection`), measures, supply and exposure, subsets,
timeline, and the report written back as RDF (:mod:`graph.analysis.report`)."""
