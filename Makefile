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

## check: the quick run (about a minute) before a commit: unit, data and content tests, the package's docstring
##   examples and every notebook under nbval; leaves out the browser and the otter-grader tests (`make test` runs all)
.PHONY: check
check: setup-test
	$(BIN)/python -m pytest -m "not browser and not grading"

## notebooks: re-run every notebook from a fresh kernel and save its outputs (before committing)
notebooks: setup
	$(BIN)/python tools/refresh_notebooks.py

## homework: build the student worksheets; answer keys and autograders go to instructor/dist/ (never committed)
homework: setup
	$(BIN)/python tools/build_homework.py

## grade: grade a folder of submitted notebooks: make grade SUBMISSIONS=folder [OUT=results]
grade: setup
	$(BIN)/python -m natocourse.homework $(SUBMISSIONS) --out $(or $(OUT),results)

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
