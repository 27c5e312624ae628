"""template.yaml's analytics: Glue tables that match the Parquet schemas, partition projection, the Athena
workgroup, one named query per report file (byte for byte), the dashboard, the alarms and the daily
report function's least privilege."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pytest

from cxrecon.analytics.catalogue import SQL_DIR
from cxrecon.analytics.tables import TABLES
from cxrecon_local.template import DEFAULT_TEMPLATE, load_template, translate

TEMPLATE = load_template(DEFAULT_TEMPLATE)
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
GLUE_TABLES = {"decisions": "DecisionsTable", "runs": "RunsTable", "review_items": "ReviewItemsTable"}
SQL_FILES = sorted(SQL_DIR.glob("*.sql"))


def _of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in RESOURCES.items() if r["Type"] == kind}


def _glue_type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return f"array<{_glue_type(t.value_type)}>"
    return {
        pa.string(): "string",
        pa.int64(): "bigint",
        pa.bool_(): "boolean",
        pa.timestamp("ms", tz="UTC"): "timestamp",
    }[t]


@pytest.mark.parametrize("table", sorted(GLUE_TABLES))
def test_glue_table_columns_are_the_parquet_schema(table: str) -> None:
    table_input = RESOURCES[GLUE_TABLES[table]]["Properties"]["TableInput"]
    assert table_input["Name"] == table
    columns = [(c["Name"], c["Type"]) for c in table_input["StorageDescriptor"]["Columns"]]
    expected = [(f.name, _glue_type(f.type)) for f in TABLES[table] if f.name != "dt"]
    assert columns == expected
    assert table_input["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]


@pytest.mark.parametrize("table", sorted(GLUE_TABLES))
def test_glue_tables_find_partitions_by_projection(table: str) -> None:
    table_input = RESOURCES[GLUE_TABLES[table]]["Properties"]["TableInput"]
    params = table_input["Parameters"]
    assert params["projection.enabled"] == "true"
    assert params["projection.dt.type"] == "date"
    assert params["projection.dt.format"] == "yyyy-MM-dd"
    assert params["storage.location.template"] == {"Fn::Sub": f"s3://${{OutputsBucket}}/{table}/dt=${{!dt}}/"}
    assert table_input["StorageDescriptor"]["Location"] == {"Fn::Sub": f"s3://${{OutputsBucket}}/{table}/"}
    assert "ParquetHiveSerDe" in table_input["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
    assert RESOURCES[GLUE_TABLES[table]]["Properties"]["DatabaseName"] == {"Ref": "AnalyticsDatabase"}


def test_no_crawler_is_needed() -> None:
    assert not _of_type("AWS::Glue::Crawler")


def test_the_workgroup_has_its_own_results_and_a_scan_limit() -> None:
    (workgroup,) = _of_type("AWS::Athena::WorkGroup").values()
    config = workgroup["Properties"]["WorkGroupConfiguration"]
    assert config["EnforceWorkGroupConfiguration"] is True
    assert config["BytesScannedCutoffPerQuery"] == {"Ref": "AthenaBytesScannedCutoff"}
    assert config["ResultConfiguration"]["OutputLocation"] == {
        "Fn::Sub": "s3://${OutputsBucket}/athena-results/"
    }
    assert config["EngineVersion"]["SelectedEngineVersion"] == "Athena engine version 3"


def test_every_sql_file_is_a_named_query_byte_for_byte() -> None:
    queries = {
        q["Properties"]["QueryString"]: q["Properties"] for q in _of_type("AWS::Athena::NamedQuery").values()
    }
    assert len(queries) == len(SQL_FILES)
    for path in SQL_FILES:
        text = path.read_text(encoding="utf-8")
        assert text in queries, f"{path.name} differs from its named query in template.yaml"
        props = queries[text]
        assert props["Database"] == {"Ref": "AnalyticsDatabase"}
        assert props["WorkGroup"] == {"Ref": "AthenaWorkGroup"}


def test_every_dlq_has_a_depth_alarm() -> None:
    dlqs = {name for name in _of_type("AWS::SQS::Queue") if name.endswith("DLQ")}
    watched = set()
    for alarm in _of_type("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("MetricName") == "ApproximateNumberOfMessagesVisible":
            assert props["Threshold"] == 0 and props["ComparisonOperator"] == "GreaterThanThreshold"
            watched.add(props["Dimensions"][0]["Value"]["Fn::GetAtt"][0])
    assert watched == dlqs


def test_the_review_age_automation_and_api_alarms() -> None:
    alarms = {
        a["Properties"].get("MetricName"): a["Properties"]
        for a in _of_type("AWS::CloudWatch::Alarm").values()
    }
    age = alarms["ApproximateAgeOfOldestMessage"]
    assert age["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["ReviewQueue", "QueueName"]}
    assert age["Threshold"] == {"Ref": "ReviewItemMaxAgeSeconds"}
    api = alarms["SalesforceApiUsagePercent"]
    assert (api["Namespace"], api["Threshold"]) == ("cxrecon", {"Ref": "ApiUsageAlarmPercent"})
    rate = alarms[None]
    assert rate["Threshold"] == {"Ref": "AutomationRateAlarmPercent"}
    assert rate["ComparisonOperator"] == "LessThanThreshold"
    used = {m["MetricStat"]["Metric"]["MetricName"] for m in rate["Metrics"] if "MetricStat" in m}
    assert used == {
        "Outcome_related",
        "Outcome_related_to_org",
        "Outcome_already_related",
        "Outcome_queued_for_review",
    }
    (expression,) = [m for m in rate["Metrics"] if m.get("ReturnData")]
    assert expression["Expression"].startswith("100 *")


def test_the_dashboard_body_is_json_once_substituted() -> None:
    (dashboard,) = _of_type("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    substituted = body.replace("${AWS::Region}", "us-east-1")
    for name in ("AutomationRateAlarmPercent", "ApiUsageAlarmPercent", "ReviewItemMaxAgeSeconds"):
        substituted = substituted.replace(f"${{{name}}}", "1")
    for token in ("QueueName}", "Alarm.Arn}"):
        while f".{token}" in substituted:
            start = substituted.index("${")
            end = substituted.index("}", start)
            substituted = substituted[:start] + "x" + substituted[end + 1 :]
    widgets = json.loads(substituted)["widgets"]
    assert {w["properties"]["title"] for w in widgets} >= {
        "Automation rate (%)",
        "Salesforce API usage (% of daily allowance)",
        "Oldest review item (s)",
        "Dead letters",
    }


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cxrecon/salesforce-AbCdEf"
    return translate(TEMPLATE, parameters={"SalesforceSecretArn": secret})


def test_the_daily_report_runs_on_a_schedule(cfn: dict[str, Any]) -> None:
    rules = {k: r for k, r in cfn["Resources"].items() if r["Type"] == "AWS::Events::Rule"}
    schedules = {
        json.dumps(r["Properties"]["Targets"][0]["Arn"]): r["Properties"]["ScheduleExpression"]
        for r in rules.values()
    }
    assert schedules[json.dumps({"Fn::GetAtt": ["DailyReportFunction", "Arn"]})].startswith("cron(")


def test_the_daily_report_reads_the_tables_and_writes_only_reports(cfn: dict[str, Any]) -> None:
    role = cfn["Resources"]["DailyReportFunctionRole"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    grants: dict[str, list[str]] = {}
    for s in statements:
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        for action in actions:
            assert "*" not in action
            grants.setdefault(action, []).extend(json.dumps(r) for r in resources)
    assert set(grants) == {"s3:ListBucket", "s3:GetObject", "s3:PutObject"}
    assert grants["s3:PutObject"] == [json.dumps({"Fn::Sub": "${OutputsBucket.Arn}/reports/*"})]
    assert sorted(grants["s3:GetObject"]) == sorted(
        json.dumps({"Fn::Sub": f"${{OutputsBucket.Arn}}/{t}/*"})
        for t in ("decisions", "runs", "review_items")
    )


def test_the_reconcile_function_may_write_review_items(cfn: dict[str, Any]) -> None:
    role = cfn["Resources"]["ReconcileFunctionRole"]["Properties"]
    resources = [
        json.dumps(r)
        for p in role["Policies"]
        for s in p["PolicyDocument"]["Statement"]
        if s["Action"] == "s3:PutObject"
        for r in s["Resource"]
    ]
    assert json.dumps({"Fn::Sub": "${OutputsBucket.Arn}/review_items/*"}) in resources
