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

setup: $(VENV)/.runtime-installed
setup-test: $(VENV)/.test-installed

$(VENV)/.runtime-installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.runtime-installed requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

clean:
	rm -rf $(VENV) tests/screenshots .pytest_cache
