"""The shipped Salesforce metadata declares what the pipeline and `cxrecon doctor` rely on."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from cxrecon.salesforce import TASK_FIELDS_WRITTEN

ROOT = Path(__file__).resolve().parents[3] / "infra" / "salesforce" / "force-app" / "main" / "default"
NS = {"md": "http://soap.sforce.com/2006/04/metadata"}


def test_cxone_contact_id_is_a_unique_external_id_on_activity():
    field = ET.parse(
        ROOT / "objects" / "Activity" / "fields" / "CXone_Contact_Id__c.field-meta.xml"
    ).getroot()
    assert field.findtext("md:fullName", namespaces=NS) == "CXone_Contact_Id__c"
    assert field.findtext("md:externalId", namespaces=NS) == "true"
    assert field.findtext("md:unique", namespaces=NS) == "true"
    assert field.findtext("md:type", namespaces=NS) == "Text"


def test_every_custom_field_the_pipeline_writes_is_shipped_and_granted():
    shipped = {
        p.name.removesuffix(".field-meta.xml") for p in (ROOT / "objects" / "Activity" / "fields").iterdir()
    }
    custom = {f for f in TASK_FIELDS_WRITTEN if f.endswith("__c")}
    assert custom <= shipped
    permset = ET.parse(ROOT / "permissionsets" / "cxrecon_Integration.permissionset-meta.xml").getroot()
    editable = {
        fp.findtext("md:field", namespaces=NS)
        for fp in permset.findall("md:fieldPermissions", NS)
        if fp.findtext("md:editable", namespaces=NS) == "true"
    }
    assert {f"Activity.{f}" for f in custom} <= editable
