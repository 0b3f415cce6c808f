"""`plan list` and `plan show` count the same tasks, and say what they count: the rows of the plan's
table (the appendix) and the plan-wide duties from its body (BC.1) apart."""

from tests.helpers import cli

COUNTS = "6 mục, 20 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung"


def test_plan_list_and_plan_show_give_the_same_counts(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert cli(db_url, "plan", "list").stdout.splitlines()[-1] == "  " + COUNTS
    assert COUNTS in cli(db_url, "plan", "show").stdout.splitlines()


def test_the_import_report_says_its_tasks_are_the_tables_rows(db_url: str) -> None:
    result = cli(db_url, "plan", "import", "--bundled")
    assert "Mục: 6 · Nhiệm vụ tại Phụ lục: 20 · Đơn vị: 6" in result.stdout
    assert "Đã nhận nghĩa vụ chung của kế hoạch thành nhiệm vụ BC.1." in result.stdout
