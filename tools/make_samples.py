#!/usr/bin/env python3
"""Regenerate the sample input workbooks in ``input/``.

Each workbook reproduces one of the source documents in ``../shared/seeds/``
(see ``../shared/spec/input-contract.md`` for what every sheet and column
means):

* ``input/行唐县整改报告.xlsx``       -- seed 000, the county 整改报告
* ``input/石家庄市整改情况报告.xlsx`` -- seed 001, the city 整改情况的报告

The workbooks are written the way a clerk would write them, including a few
things the tool must cope with on purpose:

* a title row and a blank row above the header of 问题清单;
* columns in a different order from the contract, plus an extra column
  (问题编号) that the tool has to keep;
* a header with a line break inside it ("整改\\n时限");
* 层面 and 类别 written as vertically merged cells (value in the top cell only);
* dates as real date cells and as text in every accepted form
  (2024-03-02, 2024/3/2, 2024.3.2, 2024年3月2日).

The document text is transcribed from the seeds without shortening.  Counts
quoted in prose (7 problems, 1 hazard, 6 done, 2 in progress...) are NOT typed
anywhere: the tool computes them from the 问题清单 rows.

Usage (from the repository root):

    pip install openpyxl
    python3 tools/make_samples.py
"""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
INPUT = ROOT / "input"

D = dt.datetime  # real Excel date cells are written from datetime values
DATE_FMT = "yyyy-mm-dd"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def put(ws, row, col, value):
    """Write one cell; datetime values become real date cells."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, (dt.datetime, dt.date)):
        cell.number_format = DATE_FMT
        cell.alignment = Alignment(horizontal="left", vertical="top")
    else:
        cell.alignment = WRAP_TOP
    return cell


def header(ws, row, names):
    """Write a header row in bold on a light fill."""
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER


def widths(ws, cols):
    """Set column widths: ``cols`` maps a header name or letter to a width."""
    for letter, width in cols.items():
        ws.column_dimensions[letter].width = width


def key_value_sheet(ws, items, first_row):
    """文件信息: header 项目 | 内容 at ``first_row``, then one key per row."""
    header(ws, first_row, ["项目", "内容"])
    for i, (key, value) in enumerate(items, start=first_row + 1):
        put(ws, i, 1, key)
        put(ws, i, 2, value)
    widths(ws, {"A": 16, "B": 90})


def table_sheet(ws, names, rows, first_row=1):
    """A plain table: header at ``first_row``, rows of values below it."""
    header(ws, first_row, names)
    for r, values in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)


def lines(*measures):
    """整改措施: one measure per line inside the cell."""
    return "\n".join(measures)


# --------------------------------------------------------------------------
# 1. 行唐县整改报告 (seed 000_6c905cda6cbc296c.txt)
# --------------------------------------------------------------------------

def county_report(path):
    wb = Workbook()

    # ---- 文件信息: a title row merged over A1:B1, header in row 2 ----------
    ws = wb.active
    ws.title = "文件信息"
    ws["A1"] = "文件信息"
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.merge_cells("A1:B1")
    key_value_sheet(ws, [
        ("文种", "整改报告"),
        ("发文机关", "行唐县人民政府"),
        ("发文机关标志", "行唐县人民政府文件"),
        ("发文字号", "行政报〔2024〕12号"),
        ("签发人", "李振华"),
        ("标题", "关于非煤矿山安全生产工作问题的整改报告"),
        ("主送机关", "国家矿山安全监察局河北局"),
        ("成文日期", D(2024, 3, 25)),  # a real date cell
        # Free variables read by the 整改报告 template's opening paragraph.
        ("检查单位", "国家矿山安全监察局河北局"),
        ("检查时间", "2024年2月21日至23日"),
        ("检查对象", "我县非煤矿山"),
        ("检查名称", "安全生产督导检查"),
        ("依据文件", "国家矿山安全监察加强和改善非煤矿山安全监管建议书"
                     "（冀非煤安全监察矿建议〔2024〕3号）"),
        ("自称", "我县"),
        # 版记
        ("抄送", "石家庄市人民政府，石家庄市应急管理局"),
        ("印发机关", "行唐县人民政府办公室"),
        ("印发日期", "2024年3月25日"),  # a text date
    ], first_row=2)

    # ---- 问题清单 ----------------------------------------------------------
    # Title in row 1 (merged over every used column), row 2 blank, header in
    # row 3.  Column order differs from the contract on purpose and 问题编号
    # is an extra column.
    ws = wb.create_sheet("问题清单")
    cols = ["序号", "层面", "类别", "存在问题", "整改状态", "整改措施",
            "责任单位", "责任人", "整改\n时限", "完成时间", "问题编号", "备注"]
    ws["A1"] = "行唐县非煤矿山安全生产问题整改台账"
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    header(ws, 3, cols)

    gov = "政府、部门层面"
    ent = "企业层面"
    cat1 = "对非煤矿山安全生产重视不足，学习贯彻上级有关矿山安全生产工作决策部署有差距"
    cat2 = "非煤矿山安全监管责任落实不力"
    cat3 = "矿山安全监管队伍建设有差距，监管效能不高"
    cat4 = "应急预案不完善"
    done = "已完成整改"
    doing = "积极整改中"

    # One dict per issue.  层面 / 类别 are given for every issue here; the
    # merging below writes them only into the top cell of each merged block.
    issues = [
        dict(  # 1
            层面=gov, 类别=cat1,
            存在问题=(
                "县政府、有关部门和矿山企业对《中共中央办公厅 国务院办公厅关于进一步"
                "加强矿山安全生产工作的意见》（以下简称《意见》）《国务院安委会关于防范"
                "遏制矿山领域重特大生产安全事故的硬措施》（以下简称《硬措施》）学习不够。"
                "县政府尚未组织学习贯彻《硬措施》；抽查发现，部门安全监管人员和企业管理"
                "人员普遍不能全面掌握《硬措施》和《意见》内容要求，有的干部甚至不知道"
                "出台了《意见》。"),
            整改状态=done,
            整改措施=lines(
                "2024年3月2日，县政府组织召开政府常务会议，传达学习宣贯了《硬措施》等"
                "文件精神；2024年3月8日，县应急管理局牵头组织市生态环境局行唐县分局、"
                "县公安局、县自然资源和规划局、北河乡、九口子乡、上闫庄乡、供电公司等"
                "非煤矿山安全监管人员以及行唐县石鑫矿业有限公司、行唐县鑫地矿业有限公司"
                "尾矿库等企业安全管理人员召开专题会议，对《硬措施》和《意见》深入进行"
                "学习，并留存了相关记录。"),
            责任单位="县政府办公室、县应急管理局", 责任人="",
            整改时限=D(2024, 3, 10), 完成时间=D(2024, 3, 8),
            问题编号="HB-2024-001", 备注=""),
        dict(  # 2
            层面=gov, 类别=cat1,
            存在问题=(
                "关闭非煤矿山工作进展缓慢。2023年拟关闭3座金属非金属矿山和2座尾矿库，"
                "关闭3座金属非金属矿山工作计划2023年8月底前完成，但至今未关闭到位；"
                "尚未印发关闭2座尾矿库的决定文件。"),
            整改状态=doing,
            整改措施=lines(
                "2024年3月8日，县应急管理局牵头组织市生态环境局行唐县分局、县公安局、"
                "县自然资源和规划局、供电公司、北河乡、九口子乡、上闫庄乡等部门、乡镇"
                "召开非煤矿山安全监管暨国家矿山安全监察局河北局反馈问题整改工作会议，"
                "督促相关部门、乡镇加大关闭推进力度，加快完成矿山关闭任务。",
                "2024年3月18日，县应急管理局起草了鑫地、怡和2座尾矿库关闭销号实施方案，"
                "已提请县政府，待政府审核通过后印发实施。"),
            责任单位="县应急管理局、县自然资源和规划局", 责任人="王建国",
            整改时限="2024-12-31", 完成时间="",
            问题编号="HB-2024-002", 备注="尾矿库关闭销号实施方案待县政府审核"),
        dict(  # 3
            层面=gov, 类别=cat2,
            存在问题=(
                "县非煤矿山包保制度修订不及时，《意见》明确要求，地下矿山和尾矿库由县级"
                "领导包保，但县非煤矿山包保、盯守、巡查责任制规定长期停工停产地下矿山和"
                "尾矿库由乡镇领导和县直部门领导包保；抽查发现个别县领导只知道包保联系的"
                "乡镇，不知道包保的非煤矿山名称和包保职责。"),
            整改状态=done,
            整改措施=lines(
                "县安委办结合《意见》要求，对非煤矿山包保、盯守、巡查责任制进行了修订，"
                "重新印发实施。同时，向所有包保县领导下发了提示函，提示县领导所包非煤"
                "矿山名称、地址等基本信息及包保职责，督促县领导定期开展巡查检查。"),
            责任单位="县安委办", 责任人="",
            整改时限="2024/3/20", 完成时间="2024.3.15",
            问题编号="HB-2024-003", 备注=""),
        dict(  # 4
            层面=gov, 类别=cat3,
            存在问题=(
                "县应急管理局现有矿山安全监管人员2人，均不是矿山专业人员，不符合《意见》"
                "“专业监管人员配备比例不低于在职人员的75%”的要求。"),
            整改状态=doing,
            整改措施=lines(
                "县应急管理局组织2名矿山安全监管人员，报名参加了国家矿山安全监察局河北局"
                "非煤矿山安全业务培训，增强矿山专业知识，弥补矿山安全监管人员专业缺陷。",
                "聘请非煤矿山专业技术力量参与隐患排查，弥补专业监管方面不足。",
                "以后在应急管理部门招聘人员时，有计划地招聘矿山专业人员，充实应急管理局"
                "非煤矿山安全监管队伍，提升专业监管人员比例。"),
            责任单位="县应急管理局", 责任人="赵立新",
            整改时限="2024年6月30日", 完成时间="",
            问题编号="HB-2024-004", 备注=""),
        dict(  # 5
            层面=gov, 类别=cat3,
            存在问题=(
                "矿山监管部门协调联动有差距，停产停建矿山安全监管措施落实不力。"
                "2023年7—10月，行唐县自规局要求石鑫矿业有限公司进行地质环境治理与土地"
                "复垦，未将有关情况告知应急局；期间该矿利用挖掘机等设备对台阶进行整修，"
                "未书面向县应急局提出申请；县自规局、应急局在对该矿的日常检查中也未发现"
                "此方面的问题。"),
            整改状态=done,
            整改措施=lines(
                "县应急管理局牵头组织县自然资源和规划局、市生态环境局行唐县分局、县公安局、"
                "供电公司、北河乡、九口子乡、上闫庄乡等有关部门、乡镇监管人员召开非煤矿山"
                "安全监管暨国家矿山安全监察局河北局反馈问题整改工作会议，对《行唐县安全"
                "生产委员会办公室关于转发停产停建非煤矿山安全监管三项措施的通知》进行"
                "再学习、再安排、再部署，明确要求停产停建非煤矿山开展各类维修、维护作业、"
                "施工活动要报县应急管理局审批同意后方可开展。同时，协调督促相关部门、乡镇"
                "监管人员加大停产矿山巡查检查力度，增加巡查检查频次，发现问题、隐患及时"
                "协调沟通。"),
            责任单位="县应急管理局、县自然资源和规划局", 责任人="",
            整改时限="2024.3.15", 完成时间=D(2024, 3, 12),
            问题编号="HB-2024-005", 备注=""),
        dict(  # 6  (the seed gives this finding without a "存在问题:" label)
            层面=gov, 类别=cat3,
            存在问题=(
                "县自规局监管执法不规范。执法一中队岁末年初安全监管专项检查汇总表显示"
                "1月份有4次检查均由1人签字；执法四中队1月份对行唐县尖岭石料有限公司"
                "安全监管检查时未做记录。"),
            整改状态=done,
            整改措施=lines(
                "执法一中队补充完善了岁末年初安全监管专项检查汇总表检查签字。执法四中队"
                "重新整理补充了1月份对行唐县尖岭石料有限公司安全监管检查记录，并在今后"
                "执法检查中，规范执法，及时完善执法档案和各项记录。"),
            责任单位="县自然资源和规划局", 责任人="",
            整改时限=D(2024, 3, 15), 完成时间=D(2024, 3, 10),
            问题编号="HB-2024-006", 备注=""),
        dict(  # 7
            层面=gov, 类别=cat4,
            存在问题=(
                "《行唐县应急管理局金属与非金属矿山生产安全事故应急预案》内容不全，缺少"
                "接到较大及以上等级事故报告后向国家矿山安全监察局河北局报告的内容。"),
            整改状态=done,
            整改措施=lines(
                "按照要求对《行唐县应急管理局金属与非金属矿山生产安全事故应急预案》进行"
                "修改完善，补充了接到较大及以上等级事故报告后向国家矿山安全监察局河北局"
                "报告的内容。"),
            责任单位="县应急管理局", 责任人="",
            整改时限="2024年3月20日", 完成时间="2024/3/18",
            问题编号="HB-2024-007", 备注=""),
        dict(  # 8  (企业层面, no 类别)
            层面=ent, 类别="",
            存在问题=(
                "矿每日巡检流于形式，未及时发现视频监控系统显示器故障。违反《河北省安全"
                "生产委员会办公室关于印发停产停建非煤矿山安全监管三项措施的通知》"
                "（冀安委办〔2022〕40号）的规定。"),
            整改状态=done,
            # "下了达" is the seed's own wording (typo for 下达了), kept as is.
            整改措施=lines(
                "县应急管理局向企业下了达执法文书，要求企业立即整改视频监控系统显示器"
                "故障，并切实做好每日各项安全巡查检查。矿山企业对视频监控显示器进行了"
                "维修，对值班人员进行了批评教育，每日开展巡查检查，确保视频监控系统"
                "正常使用。"),
            责任单位="行唐县石鑫矿业有限公司", 责任人="",
            整改时限=D(2024, 3, 5), 完成时间=D(2024, 3, 1),
            问题编号="HB-2024-008", 备注="移送企业安全隐患"),
    ]

    first = 4  # first body row (header is row 3)
    keys = [c.replace("\n", "") for c in cols]
    for n, issue in enumerate(issues, start=1):
        row = first + n - 1
        for c, key in enumerate(keys, start=1):
            value = n if key == "序号" else issue[key]
            if value == "" or value is None:
                continue
            put(ws, row, c, value)

    # Merged cells: 层面 over issues 1-7, 类别 over issues 1-2 and 4-6.  Only
    # the top cell keeps its value; the covered cells are cleared first.
    def merge_col(col, top_issue, bottom_issue):
        for issue_no in range(top_issue + 1, bottom_issue + 1):
            ws.cell(row=first + issue_no - 1, column=col).value = None
        ws.merge_cells(start_row=first + top_issue - 1, start_column=col,
                       end_row=first + bottom_issue - 1, end_column=col)
        ws.cell(row=first + top_issue - 1, column=col).alignment = CENTER

    merge_col(keys.index("层面") + 1, 1, 7)
    merge_col(keys.index("类别") + 1, 1, 2)
    merge_col(keys.index("类别") + 1, 4, 6)
    ws.cell(row=first + 7, column=keys.index("层面") + 1).alignment = CENTER

    widths(ws, {"A": 6, "B": 10, "C": 22, "D": 50, "E": 12, "F": 60,
                "G": 18, "H": 8, "I": 14, "J": 12, "K": 13, "L": 16})
    ws.freeze_panes = "A4"

    # ---- 下一步工作 (三、下一步工作: 一是…二是…三是…) ---------------------
    ws = wb.create_sheet("下一步工作")
    table_sheet(ws, ["标题", "内容"], [
        ("全面完成矿山关闭工作",
         "县政府将加大对有关部门和乡镇督导力度，及时督促有关部门、乡镇加大矿山关闭"
         "推进力度，确保按要求尽快完成矿山关闭收尾工作。"),
        ("持续推进尾矿库闭库销号",
         "我县将按照前期工作进度，加大协调沟通督导力度，确保年底前完成鑫地矿业"
         "尾矿库、怡和矿业尾矿库2座尾矿库闭库销号工作。"),
        ("加强停产矿山安全监管",
         "对行唐县石鑫矿业有限公司将严格按照停产停建矿山安全监管措施工作要求，加大"
         "巡查力度，增加巡查频次，严防发生停产矿山未经复产验收擅自恢复生产现象，"
         "保持全县非煤矿山安全生产形势持续稳定。"),
    ])
    widths(ws, {"A": 26, "B": 90})

    wb.save(path)


# --------------------------------------------------------------------------
# 2. 石家庄市整改情况报告 (seed 001_4a2cc215f867f7c1.txt)
# --------------------------------------------------------------------------

def city_report(path):
    wb = Workbook()

    # ---- 文件信息: header in row 1, no title row ---------------------------
    ws = wb.active
    ws.title = "文件信息"
    key_value_sheet(ws, [
        ("文种", "整改情况报告"),
        ("发文机关", "石家庄市人民政府"),
        ("发文机关标志", "石家庄市人民政府"),
        ("发文字号", "石政报〔2023〕9号"),
        ("签发人", "张志强、刘建军"),  # two signers
        ("标题", "石家庄市人民政府关于《国家矿山安全监察局河北局关于加强和改善矿山"
                 "安全监管工作的建议函》整改情况的报告"),
        ("主送机关", "国家矿山安全监察局河北局"),
        ("成文日期", "2023/5/20"),  # a text date
        # Free variables: the letter being answered and the opening paragraph.
        ("来文日期", "2023年2月7日"),
        ("来文标题", "关于加强和改善矿山安全监管工作的建议函"),
        ("来文字号", "矿安冀函〔2023〕5号"),
        ("开头", "石家庄市委、市政府高度重视，立即组织市应急管理局、自然资源和规划局等"
                 "部门和县（区）研究调度，要求聚焦问题导向，逐项分析研究，逐一整改落实，"
                 "坚决防止安全事故发生。"),
        ("自称", "我市"),
        ("下一步导语", "下一步，我市将以此次监督检查为契机，进一步加大矿山安全专项整治"
                       "工作力度。"),
        # 版记
        ("印发机关", "石家庄市人民政府办公室"),
        ("印发日期", D(2023, 5, 20)),  # a real date cell
    ], first_row=1)

    # ---- 问题清单 (一、存在问题整改落实情况) --------------------------------
    ws = wb.create_sheet("问题清单")
    source = "《建议函》提出"
    table_sheet(ws, ["序号", "类别", "问题来源", "存在问题", "整改状态", "整改措施",
                     "责任单位", "整改时限"], [
        (1,
         "对开展非煤矿山安全专项整治认识不足，方案指导性和可操作性不强",
         source,
         "对于非煤矿山安全专项整治工作，你市虽然制定了实施方案，但未明确具体目标任务、"
         "责任单位和工作措施，未明确非煤矿山关闭数量、名称、时间进度，特别是对于如何"
         "实现‘大幅减少非煤矿山生产系统数量和非煤矿山县数量’，措施不具体，指导性和"
         "操作性不强，势必影响后续工作的进展。且方案中将应依法关闭的11种情形列为停产"
         "停建范围，降低了标准。",
         "已完成整改",
         lines(
             "强化组织保障。深入贯彻落实习近平总书记关于安全生产重要论述，牢牢把握并"
             "落实好矿山安全各项工作基本要求，强化事前有效预防。成立非煤矿山专项整治"
             "工作领导小组，分管安全生产的常务副市长担任组长，统筹安排部署全市矿山安全"
             "生产工作。多次召开专题会议，对涉非煤矿山县（区）专项整治推进工作进行督导"
             "调度，分析研究具体推进措施，并深入矿山一线进行调研考察，督促各县（区）"
             "针对辖区非煤矿山实际情况，明确时间节点，制定清单台账，确保各项安全措施"
             "落实。",
             "明确整改重点。组织重点县结合辖区每座矿山的实际情况，对照相关政策、标准，"
             "从资源赋存、安全管理、设备设施、资金实力等方面对辖区内所有矿山企业进行"
             "全面评估，进一步明确整治任务。经全面摸底，全市计划关闭6座矿山，整合重组"
             "6座矿山为3座，由57座减少到48座，总体减少9座，提升措施的操作性和实效性。",
             "细化实施方案。接贵局反馈后，立即制定印发《关于认真研究制定非煤矿山安全"
             "专项整治实施方案的通知》，要求加大执法力度，严格监管责任，明确要求对符合"
             "应关闭的各种情形之一的，第一时间依法关闭，严防安全事故发生。"),
         "市应急管理局、市自然资源和规划局",
         D(2023, 3, 31)),
        (2,
         "对各县（区）非煤矿山安全专项整治的监督、指导有差距",
         source,
         "检查中发现，元氏县、行唐县和平山县人民政府对省政府部署的争创‘无矿县’目标"
         "普遍存在犹豫心理和畏难思想，争创‘无矿县’的决心还不够坚定，均没有明确关闭"
         "矿山的时限和具体推进措施。个别县有关部门底数不清，责任不明，没有形成工作"
         "合力。对于如何推进专项整治工作，市有关部门缺乏针对性的指导，市、县两级存在"
         "相互观望的现象。",
         "已完成整改",
         lines(
             "压实属地责任。3月2日—3日，组织元氏县、行唐县和平山县召开了3次专项调度会，"
             "要求严格落实省政府部署，扛起属地责任，坚决克服畏难情绪，进一步加大工作"
             "力度，在确保企业全部停产停建的基础上，发现企业存在4项淘汰退出和11项依法"
             "关闭情形的，坚决予以关闭退出；同时再次召集辖区内非煤矿山企业负责人，"
             "一对一的进一步讲清国家和我省的产业政策，矿山治理整顿的措施及矿山安全环保"
             "集约化发展的各项工作要求。",
             "压实监管责任。进一步细化市应急管理局等部门监管职责，健全完善汛期、极端"
             "天气等重点时段尾矿库等重点矿山风险监测预警机制，强化汛期演练，提升应急"
             "能力。同时，加强行风建设，规范执法，增强服务意识，积极帮助属地县（区）"
             "和矿山企业解决问题，推动监管服务水平提升。",
             "凝聚工作合力。3月20日，召开全市非煤矿山安全专项整治工作推进会，组织有关"
             "市直部门和县（区）进一步学习上级关于专项整治有关精神和要求，认真研究省"
             "“若干措施”等文件精神，强化大局意识和担当精神，积极主动作为，将专项整治"
             "工作置于当地经济社会发展大局中谋划、部署和推进，全面加强专项整治工作的"
             "领导，按照“一矿一策”原则，实事求是推进非煤矿山安全专项整治工作。"),
         "元氏县人民政府、行唐县人民政府、平山县人民政府、市应急管理局",
         "2023/4/30"),
        (3,
         "对问题整改重视不够，督促不力",
         source,
         "2022年7月，我局对你市非煤矿山安全监管工作进行监督监察时提出‘尾矿库综合整治"
         "工作力度不足’的问题。此次对行唐县、平山县监督检查中发现，行唐县怡和矿业有限"
         "公司尾矿库、平山县建国矿业有限公司下口分公司尾矿库等停用时间超过3年的尾矿库"
         "仍未完成闭库治理并销号，工作无进展。",
         "积极整改中",
         lines(
             "2月13日，召开平山县、行唐县非煤矿山安全专项整治工作专题调度会，要求对行唐县"
             "怡和矿业有限公司尾矿库、平山县建国矿业有限公司下口分公司尾矿库有关问题进行"
             "重点“回头看”，确保问题整改有序推进；同时要举一反三，从问题本身和制度机制上"
             "深入查找短板不足，确保老问题不反弹、新问题不出现，真正转化为矿山安全生产的"
             "实际成效。目前，平山县正在督促建国矿业有限公司尾矿库聘请具备相应资质的设计"
             "单位编制闭库设计及方案；行唐县怡和矿业有限公司尾矿库已经完成了闭库设计和"
             "现状评价，2023年5月8日，组织专家对闭库设计和现状评价进行了评审，正在根据"
             "专家评审提出的意见对闭库设计进行修改完善。"),
         "行唐县人民政府、平山县人民政府、市应急管理局",
         D(2023, 12, 31)),
    ])
    widths(ws, {"A": 6, "B": 26, "C": 14, "D": 55, "E": 12, "F": 70,
                "G": 24, "H": 12})
    ws.freeze_panes = "A2"

    # ---- 正文: section 二 as prose (its 一是…三是 are prose, kept as written)
    ws = wb.create_sheet("正文")
    table_sheet(ws, ["层级", "标题", "内容"], [
        (1, "监察建议的落实情况", lines(
            "为切实将五项监察建议贯彻落实到位，第一时间将《建议函》向相关县（区）及市直"
            "有关部门传达部署，要求采取有力有效措施，确保全市非煤矿山行业安全。",
            "一是政治站位进一步提高，在思想和行动上同省级部署同频共振。树牢“人民至上、"
            "生命至上”安全发展理念，将非煤矿山安全专项整治工作摆在重要位置，进一步将"
            "思想统一到王正谱省长讲话要求上来，站在讲政治的高度，切实落实属地和部门责任，"
            "不断增强做好非煤矿山安全专项整治工作的责任感、紧迫感和使命感。",
            "二是目标任务进一步明确，在工作推进上形成强大合力。各县（区）进一步完善了"
            "专项整治推进方案，明确了具体的目标任务、责任单位和工作措施，明确非煤矿山"
            "关闭数量、名称、时间进度。市直有关部门积极与省级对口部门沟通协调，争取省级"
            "部门的支持帮助，不断加大对各地专项整治推进工作的指导力度，帮助协调解决实际"
            "问题。",
            "三是决心信心进一步增强，在工作落实上摒弃观望心理。元氏、平山和行唐县克服"
            "犹豫心理、畏难情绪，研究制定切实可行的推进措施、具体步骤，拉出路线图、"
            "时间表，加大工作力度，力争完成“无矿县”目标任务。同时，各县（区）各部门坚持"
            "执法必严、违法必究，持续保持“打非治违”高压态势，将非煤矿山安全专项整治和"
            "安全生产重大隐患专项整治紧密结合，严厉查处各种非法违法行为，确保全市非煤"
            "矿山安全稳定。")),
    ])
    widths(ws, {"A": 8, "B": 24, "C": 100})

    # ---- 下一步工作 (三、下一步工作打算, bold lead-ins) ---------------------
    ws = wb.create_sheet("下一步工作")
    table_sheet(ws, ["标题", "内容"], [
        ("组织开展专项整治",
         "严密组织开展非煤矿山安全生产综合整治、露天矿山安全生产专项整治和非煤矿山"
         "重大事故隐患专项排查整治2023行动等工作，不断强化部门联合执法和典型违法案例"
         "曝光，着力防范化解非煤矿山重大安全风险，推动我市非煤矿山行业安全生产高质量"
         "发展。"),
        ("持续提升监管标准",
         "严格落实省《关于印发停产停建非煤矿山安全监管三项措施的通知》要求，强化停产"
         "停建非煤矿山管控，确保包联包保、驻矿盯守、日常巡查、限电管理等措施落实到位。"),
        ("织密织牢责任网格",
         "强化领导责任、部门监管责任和企业主体责任，压紧压实“三个必须”责任，进一步"
         "转变工作作风、严格质量标准，推动整治工作向纵深发展。"),
    ])
    widths(ws, {"A": 22, "B": 100})

    wb.save(path)


def main():
    INPUT.mkdir(parents=True, exist_ok=True)
    targets = [
        (INPUT / "行唐县整改报告.xlsx", county_report),
        (INPUT / "石家庄市整改情况报告.xlsx", city_report),
    ]
    for path, build in targets:
        build(path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
