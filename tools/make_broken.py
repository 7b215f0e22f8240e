#!/usr/bin/env python3
"""Regenerate the broken, hostile and defective workbooks in tests/fixtures/broken/input/.

`tests/it/checks.rs` runs `gongwen check` and `gongwen build` over this folder and compares
everything they print with the snapshot files in `tests/it/snapshots/` (review changes to them
like code). Each workbook is broken in the way clerks' workbooks are:

* 00空文件.xlsx            0 bytes
* 01损坏.xlsx              not a zip at all
* 02加密.xlsx              password-protected (msoffcrypto-tool), password 1234
* 03空工作簿.xlsx          one empty sheet
* 04缺文件信息.xlsx        no 文件信息 sheet
* 05缺必填项.xlsx          标题 missing, 成文日期 row with an empty value
* 06未知文种.xlsx          文种 请示
* 07日期和公式错误.xlsx    impossible dates (2024-02-30), text in a date column, #REF! in a date column
* 08公式无结果.xlsx        formulas saved without computed values (openpyxl writes none)
* 09整改状态错误.xlsx      statuses 已完成了 (suggests 已完成整改), 差不多
* 10表头不符.xlsx          a header clerks write differently: 整改状况 for 整改状态
* 11空问题清单.xlsx        a 整改报告 whose 问题清单 has a header and no rows
* 12收文单位错误.xlsx      a row routed to a recipient 收文单位 lacks, a recipient listed twice
* 13有缺陷.xlsx            builds, with every supervisor's warning
* 14同义表头.xlsx          a ledger headed 问题描述 / 整改进度 / 完成时限: builds without a warning
* 15完好.xlsx              a good 督办函: builds

Usage (from the repository root):

    pip install openpyxl msoffcrypto-tool
    python3 tools/make_broken.py
"""

import datetime as dt
import io
from pathlib import Path

import msoffcrypto.format.ooxml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "broken" / "input"


def info(ws, pairs):
    ws.title = "文件信息"
    ws.append(["项目", "内容"])
    for k, v in pairs:
        ws.append([k, v])


def report_info(ws, extra=()):
    info(ws, [
        ("文种", "整改报告"),
        ("发文机关", "测试县人民政府"),
        ("标题", "关于安全检查发现问题整改情况的报告"),
        ("成文日期", "2024-03-25"),
        *extra,
    ])


def save(wb, name):
    path = OUT / name
    wb.save(path)
    # Pin the timestamps openpyxl writes, so the fixture does not change on every run.
    return path


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.xlsx"):
        old.unlink()

    (OUT / "00空文件.xlsx").write_bytes(b"")
    (OUT / "01损坏.xlsx").write_bytes(b"This is not a workbook, only text named .xlsx\n" * 20)

    # 02: a good workbook, encrypted.
    wb = Workbook()
    report_info(wb.active)
    plain = io.BytesIO()
    wb.save(plain)
    plain.seek(0)
    office = msoffcrypto.format.ooxml.OOXMLFile(plain)
    with open(OUT / "02加密.xlsx", "wb") as f:
        office.encrypt("1234", f)

    wb = Workbook()
    wb.active.title = "Sheet1"
    save(wb, "03空工作簿.xlsx")

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["存在问题", "整改状态"])
    ws.append(["巡检记录不全", "已完成"])
    save(wb, "04缺文件信息.xlsx")

    wb = Workbook()
    info(wb.active, [("文种", "整改报告"), ("发文机关", "测试县人民政府"), ("成文日期", None)])
    ws = wb.create_sheet("问题清单")
    ws.append(["存在问题", "整改状态"])
    ws.append(["矿山企业安全风险辨识评估不全面", "已完成整改"])
    save(wb, "05缺必填项.xlsx")

    wb = Workbook()
    info(wb.active, [
        ("文种", "请示"),
        ("发文机关", "测试县人民政府"),
        ("标题", "关于拨付专项资金的请示"),
        ("成文日期", "2024-03-25"),
    ])
    save(wb, "06未知文种.xlsx")

    wb = Workbook()
    report_info(wb.active, [("印发日期", "2024-02-30")])
    ws = wb.create_sheet("问题清单")
    ws.append(["存在问题", "整改状态", "整改时限", "完成时间"])
    ws.append(["矿山企业安全风险辨识评估不全面", "积极整改中", "下个月", None])
    ws.append(["应急预案未按规定组织演练", "已完成整改", "#REF!", "2024-03-08"])
    ws["C3"].data_type = "e"  # an error value, as Excel saves a broken reference
    save(wb, "07日期和公式错误.xlsx")

    wb = Workbook()
    report_info(wb.active)
    ws = wb.create_sheet("问题清单")
    ws.append(["存在问题", "整改状态", "整改时限", "天数"])
    ws.append(["矿山企业安全风险辨识评估不全面", "已完成整改", "=DATE(2024,3,1)", "=B2+1"])
    save(wb, "08公式无结果.xlsx")

    wb = Workbook()
    report_info(wb.active)
    ws = wb.create_sheet("问题清单")
    ws.append(["存在问题", "整改状态"])
    ws.append(["矿山企业安全风险辨识评估不全面", "已完成了"])
    ws.append(["应急预案未按规定组织演练", "差不多"])
    save(wb, "09整改状态错误.xlsx")

    wb = Workbook()
    report_info(wb.active)
    ws = wb.create_sheet("问题清单")
    ws.append(["存在问题", "整改状况", "整改时限"])
    ws.append(["矿山企业安全风险辨识评估不全面", "已完成整改", "2024-03-10"])
    save(wb, "10表头不符.xlsx")

    wb = Workbook()
    report_info(wb.active)
    ws = wb.create_sheet("问题清单")
    ws.append(["存在问题", "整改状态"])
    save(wb, "11空问题清单.xlsx")

    wb = Workbook()
    info(wb.active, [
        ("文种", "督办函"),
        ("发文机关", "测试省应急管理厅"),
        ("标题", "关于做好汛期安全防范工作的督办函"),
        ("成文日期", "2024-06-01"),
    ])
    ws = wb.create_sheet("收文单位")
    ws.append(["主送机关", "发文字号"])
    ws.append(["甲市应急管理局", "测应急函〔2024〕1号"])
    ws.append(["乙市应急管理局", "测应急函〔2024〕2号"])
    ws.append(["甲市应急管理局", "测应急函〔2024〕3号"])
    ws = wb.create_sheet("督办事项")
    ws.append(["收文单位", "事项", "完成时限"])
    ws.append([None, "组织开展汛前安全隐患排查", "2024年6月30日前"])
    ws.append(["丙市应急管理局", "完成尾矿库排洪设施修复", "2024年7月15日前"])
    ws.append(["乙市应急管理局", "补充防汛物资储备", "长期坚持"])
    save(wb, "12收文单位错误.xlsx")

    # 13: builds, with the supervisor's warnings.
    wb = Workbook()
    info(wb.active, [
        ("文种", "整改报告"),
        ("发文机关", "测试县人民政府"),
        ("发文字号", "测政报[2024]012号"),
        ("份号", "12345"),
        ("标题", "关于安全检查发现问题整改情况的报告"),
        ("主送机关", "测试市人民政府："),
        ("成文日期", "2024-03-25"),
        ("抄送", "测试市应急管理局"),
    ])
    ws = wb.create_sheet("问题清单")
    ws.append(["序号", "存在问题", "整改状态", "整改时限", "完成时间"])
    ws.append([1, "矿山企业安全风险辨识评估不全面,台账不完整", "已完成整改", "2024-03-10", None])
    ws.append([2, "应急预案未按规定组织演练", "积极整改中", "2024-03-01", None])
    ws.append([4, "举报奖励", "已完成整改", "2024-03-10", "2024-04-02"])
    ws.append([5, "应急预案未按规定组织演练。", "未启动", "2024-06-30", None])
    ws = wb.create_sheet("下一步工作")
    ws.append(["标题", "内容"])
    ws.append(["抓好剩余问题整改", "对检查发现问题9条逐一跟踪，确保按期完成。"])
    save(wb, "13有缺陷.xlsx")

    wb = Workbook()
    report_info(wb.active)
    ws = wb.create_sheet("问题清单")
    ws.append(["问题描述", "整改进度", "完成时限"])
    ws.append(["矿山企业安全风险辨识评估不全面", "整改中", dt.datetime(2024, 6, 30)])
    ws.append(["应急预案未按规定组织演练", "已完成", dt.datetime(2024, 3, 20)])
    save(wb, "14同义表头.xlsx")

    wb = Workbook()
    info(wb.active, [
        ("文种", "督办函"),
        ("发文机关", "测试省应急管理厅"),
        ("发文字号", "测应急函〔2024〕9号"),
        ("标题", "关于做好汛期安全防范工作的督办函"),
        ("主送机关", "各市应急管理局"),
        ("成文日期", "2024-06-01"),
    ])
    ws = wb.create_sheet("正文")
    ws.append(["层级", "标题", "内容"])
    ws.append([None, None, "为做好汛期安全防范工作，现提出如下要求。"])
    ws.append([1, "全面排查隐患", "各地要立即组织开展汛前安全隐患排查。"])
    save(wb, "15完好.xlsx")

    for p in sorted(OUT.glob("*.xlsx")):
        print(f"wrote {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
