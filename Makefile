# Two commands a teacher needs: `make lab` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: lab test setup setup-test notebooks homework grade student-edition clean

## lab: set up .venv (first time only) and open JupyterLab on the start notebook
lab: setup
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

## test: set up .venv with the test tools and run every test (unit, data, nbval, browser)
test: setup-test
	$(BIN)/python -m pytest

## check: the quick run (about 1.5 minutes on 2 cores) before a commit: unit, data and content tests, the package's docstring
##   examples and every notebook under nbval; leaves out the browser and the otter-grader tests (`make test` runs all)
.PHONY: check
check: setup-test
	$(BIN)/python -m pytest -m "not browser and not grading" -n auto --dist loadfile

## notebooks: re-run every notebook from a fresh kernel and save its outputs (before committing)
notebooks: setup
	$(BIN)/python tools/refresh_notebooks.py

## homework: build the student worksheets; answer keys and autograders go to instructor/dist/ (never committed)
homework: setup
	$(BIN)/python tools/build_homework.py

## grade: grade a folder of submitted notebooks: make grade SUBMISSIONS=folder [OUT=results]
grade: setup
	$(BIN)/python -m natocourse.grading $(SUBMISSIONS) --out $(or $(OUT),results)

## class-summary: a class's exported quiz answers as a summary per question, with a chart per quiz:
##   make class-summary FOLDER=folder-of-exports [OUT=folder]   (default OUT: FOLDER/class-summary)
.PHONY: class-summary
class-summary: setup
	@test -n "$(FOLDER)" || { echo "Name the folder of exported answers: make class-summary FOLDER=..."; exit 2; }
	$(BIN)/python -m natocourse.quiz.summary $(FOLDER) $(if $(OUT),--out $(OUT))

## role-cards: print the negotiation lesson's role cards, one page per delegation, to build/role-cards/
##   (an HTML file per scenario, and a PDF when Chromium is installed)
.PHONY: role-cards
role-cards: setup
	$(BIN)/python tools/role_cards.py

## site: build the course's website into build/site/ (every lesson, the glossary, the sources, the guide; no
##   re-execution, nothing fetched): open build/site/index.html, or serve the folder from any web server
.PHONY: site
site: setup-test
	$(BIN)/python tools/site/build.py

## present: one lesson in Voila for the projector, code hidden, widgets live, the teacher's saved answers neither
##   shown nor saved (NATOCOURSE_PRESENTER=1): make present LESSON=01 [PORT=8866]; Ctrl+C to stop
.PHONY: present
present: setup
	$(BIN)/python tools/present.py $(LESSON) $(if $(PORT),--port $(PORT))

## handouts: print a worksheet per lesson and a copy of each homework, A4 PDFs in build/handouts/ (needs Chromium)
.PHONY: handouts
handouts: setup
	$(BIN)/python tools/handouts/build.py

## links: write the launch links (Binder, presenter, hub) of course.toml into README.md, the guide and the
##   student edition's README (set repository, and hub if you have one, in course.toml first)
.PHONY: links
links:
	$(PYTHON) tools/links.py

## student-edition: write the students' copy of the last commit, with no answer key (docs/teacher-guide.md, 4.6):
##   make student-edition [OUT=../course-students] [REPO=owner/course-students] [BRANCH=students]
student-edition:
	$(PYTHON) tools/student_edition.py $(or $(OUT),build/student-edition) $(if $(REPO),--repo $(REPO)) \
		$(if $(BRANCH),--branch $(BRANCH))

# Every install goes through constraints.txt, the lock of every package that requirements.txt and
# requirements-test.txt bring (binder/requirements.txt names it too): the versions CI tested, on every machine.
setup: $(VENV)/.runtime-installed
setup-test: $(VENV)/.test-installed

$(VENV)/.runtime-installed: requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	# the package's Jupyter server extension (Voila pages without stalls): an editable install does not copy
	# the config file that enables it (Binder's install of the package does), so copy it here
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	cp binder/jupyter_server_config.d/natocourse.json $(VENV)/etc/jupyter/jupyter_server_config.d/
	touch $@

$(VENV)/.test-installed: $(VENV)/.runtime-installed requirements-test.txt constraints.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt -c constraints.txt
	touch $@

## lock: after changing a pin in requirements.txt or requirements-test.txt, write constraints.txt anew (needs
##   PyPI; other versions stay as locked unless `make lock UPGRADE=1`), then run `make test` and commit both
.PHONY: lock
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $$(sed -n 's/^\(uv==[^ #]*\).*/\1/p' requirements-test.txt)
	$(BIN)/uv pip compile requirements-test.txt --output-file constraints.txt --universal \
		--python-version $(patsubst python-%,%,$(shell cat binder/runtime.txt)) --no-emit-package natocourse \
		--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

clean:
	rm -rf $(VENV) tests/screenshots .pytest_cache
