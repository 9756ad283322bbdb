"""Fixtures for report tests: the fixture survey on disk, loaded and analysed once per session."""

from __future__ import annotations

import pytest
from reportfixture import build_fixture_survey

from govsite.reports.build import analyse
from govsite.reports.survey import load_survey, read_definition


@pytest.fixture(scope="session")
def fixture_survey(tmp_path_factory):
    return build_fixture_survey(tmp_path_factory.mktemp("survey"))


@pytest.fixture(scope="session")
def survey_data(fixture_survey):
    return load_survey(read_definition(fixture_survey.path), examples_for=True)


@pytest.fixture(scope="session")
def survey_analysis(survey_data):
    return analyse(survey_data)
