"""Sphinx settings of the API reference: ``make api-docs`` builds it from the docstrings.

The docstrings are numpydoc's style; numpydoc renders them and checks each one it renders
(``numpydoc_validation_checks``), so ``sphinx-build -W`` fails on a missing section.
"""

project = "sle_graph"
author = "sle_graph developers"
extensions = ["sphinx.ext.autodoc", "numpydoc"]
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
# Wide enough, with a smaller code font, for an example line of about 100 characters.
html_theme_options = {"page_width": "1240px", "sidebar_width": "230px", "fixed_sidebar": True,
                      "code_font_size": "0.8em"}
# The sidebar lists the page's sections and names, so every part of the long page is one click away.
html_sidebars = {"**": ["localtoc.html", "searchbox.html"]}
toc_object_entries_show_parents = "hide"
html_show_sourcelink = False
html_copy_source = False

# Signatures show names and defaults only: the Parameters sections give each type in words
# (long hints such as ``str | Path | Mapping[str, str] | None`` made signatures hard to read).
autodoc_typehints = "none"
autodoc_member_order = "bysource"
# Members are listed by autodoc's :members: (numpydoc's own member tables would need autosummary).
numpydoc_show_class_members = False
numpydoc_xref_param_type = False

# The sections every public name must have: parameters all documented and none unknown (PR01,
# PR02), each with a type and a description (PR04, PR07), a Returns section for what returns (RT01),
# an example (EX01), a summary (SS01, SS03) and a docstring at all (GL08). Sections in numpydoc's
# order (GL07), none of unknown names (GL06).
numpydoc_validation_checks = {"GL06", "GL07", "GL08", "SS01", "SS03", "PR01", "PR02", "PR04", "PR07",
                              "RT01", "EX01"}
# Constructors are documented by their class's docstring.
numpydoc_validation_exclude = {r"\.__init__$", r"\.__new__$"}


def _check_raises(app, what, name, obj, options, lines):
    """Warn where a Raises section names an exception that is neither ours nor built in."""
    import builtins

    from numpydoc.docscrape import NumpyDocString
    from sphinx.util import logging

    import sle_graph.errors

    for entry in NumpyDocString("\n".join(lines))["Raises"]:
        for raised in entry.type.replace(" or ", ",").split(","):
            raised = raised.strip().strip("`~").rpartition(".")[2]
            if not isinstance(getattr(sle_graph.errors, raised, getattr(builtins, raised, None)), type):
                logging.getLogger(__name__).warning(f"{name}: Raises names {raised!r}, no exception class")


def setup(app):
    # Runs before numpydoc rewrites the docstring (numpydoc connects at the default priority 500).
    app.connect("autodoc-process-docstring", _check_raises, priority=400)
