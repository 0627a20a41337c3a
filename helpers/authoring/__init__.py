"""What course authors run, not learners: `python -m helpers.authoring.notebooks` (re-run and normalise the
notebooks), `helpers.authoring.editions` (student and instructor copies) and `helpers.authoring.bench`
(timings and memory a learner feels)."""
