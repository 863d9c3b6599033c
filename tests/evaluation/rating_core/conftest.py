"""The ratings core's cast: the raters and outputs of the rating pages' tests, reused."""

import pytest
from django.contrib.auth.models import AbstractBaseUser

from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF
from tests.evaluation.ratings.items import rater


@pytest.fixture
def rita(db) -> AbstractBaseUser:
    return rater("rita", PRODUCT_STAFF)


@pytest.fixture
def raj(db) -> AbstractBaseUser:
    return rater("raj", PRODUCT_STAFF)


@pytest.fixture
def olivia(db) -> AbstractBaseUser:
    return rater("olivia", OPERATORS)


@pytest.fixture
def nemo(db) -> AbstractBaseUser:
    return rater("nemo", None)
