import Testing
@testable import Scoring

/// Each rule kind on the seed phrasings and on unseen wording, with the boundary values.
@Suite struct RuleTests {
    func score(_ text: String, _ weight: Double, _ value: String) -> Double? {
        let rule = RuleRecogniser.recognise(text, weight: weight)
        return RuleEvaluator.evaluate(rule, MeasuredValue.parse(value)!).score
    }

    func kind(_ text: String, _ weight: Double = 2) -> RuleKind { RuleRecogniser.recognise(text, weight: weight).kind }

    @Test func yesNo() {
        let t = "符合，得满分；不符合，不得分。"
        #expect(kind(t) == .yesNo)
        #expect(score(t, 2, "符合") == 2)
        #expect(score(t, 2, "不符合") == 0)
        #expect(score(t, 2, "是") == 2)
        #expect(score(t, 2, "否") == 0)
        #expect(score(t, 2, "有效执行") == nil)  // wrong kind → no score, a problem
        #expect(score("是，得满分；否，不得分。", 3, "是") == 3)
        #expect(score("匹配，得满分；不匹配，不得分", 1, "不匹配") == 0)
    }

    @Test func levels() {
        let t = "有效执行，得满分；部分执行，得权重的60%；未执行，不得分。"
        #expect(kind(t) == .levels)
        #expect(score(t, 2, "有效执行") == 2)
        #expect(score(t, 2, "部分执行") == 1.2)
        #expect(score(t, 1, "部分执行") == 0.6)
        #expect(score(t, 2, "未执行") == 0)
        let b12 = "规范，得满分；部分规范，扣0.5分；不规范，不得分。"
        #expect(kind(b12) == .levels)
        #expect(score(b12, 1, "部分规范") == 0.5)
        #expect(score(b12, 1, "不规范") == 0)
        // Unseen wording: 得分值的50%.
        #expect(score("完全达到，得满分；基本达到，得分值的50%；未达到，得0分", 4, "基本达到") == 2)
        // Alternatives written as items (seed 002 A21).
        let a21 = "①职能明确、设定依据充分，得1分；②有“三定”文件，但职能描述不明确，得0.5分;③没有职能设定的文件依据且职能不清，得0分"
        #expect(kind(a21, 1) == .levels)
        #expect(score(a21, 1, "②") == 0.5)
    }

    @Test func additive() {
        let t = "①设定了部门中长期规划目标，得0.5分；②设定的部门中长期规划目标明确，得0.5分；③能够适应规划，得0.5分；④能够与部门职能相适应，得0.5分。"
        #expect(kind(t) == .additive)
        #expect(score(t, 2, "①③") == 1)
        #expect(score(t, 2, "①②③④") == 2)
        #expect(score(t, 2, "全部") == 2)
        #expect(score(t, 2, "无") == 0)
        #expect(score(t, 2, "⑤") == nil)
        // Bare points and 计X分 (seed 002 B21, A14); Chinese numeral 一分.
        let b21 = "①是否已制定预算资金管理办法，0.25分；②相关管理制度是否合法、合规、完整，0.25分；③相关管理制度是否得到有效执行，0.5分。"
        #expect(kind(b21, 1) == .additive)
        #expect(score(b21, 1, "①③") == 0.75)
        #expect(score("①符合规划计一分；②符合职责计一分；③与任务相一致计一分。", 3, "②③") == 2)
        // Veto item (seed 002 B22).
        let b22 = "①符合国家财经法规,1分；②资金的拨付有完整的审批程序和手续，1分；③项目的重大开支经过专题论证，1分；④符合部门预算批复的用途，1分；⑤是否存在截留、挤占、挪用、虚列支出等情况，一旦存在该指标不得分。"
        #expect(kind(b22, 4) == .additive)
        #expect(score(b22, 4, "①②③④⑤") == 4)
        #expect(score(b22, 4, "①②④⑤") == 3)
        #expect(score(b22, 4, "①②③④") == 0)
    }

    @Test func subtractive() {
        let t = "合理得满分；存在一项不合理，扣0.5分，扣完为止"
        #expect(kind(t, 1) == .subtractive)
        #expect(score(t, 1, "0") == 1)
        #expect(score(t, 1, "1项") == 0.5)
        #expect(score(t, 1, "2项") == 0)
        #expect(score(t, 1, "5项") == 0)   // past zero: stays 0
        let b22 = "a.是否已制定或具有相应的财务管理办法；   b.项目财务管理办法是否符合相关财务会计制度的规定；   c.是否存在需要完善的风险控制环节。  符合所有条件，得满分； 一项不符合，扣0.5分，扣完为止。"
        #expect(kind(b22, 1) == .subtractive)
        #expect(score(b22, 1, "a,b,c") == 1)
        #expect(score(b22, 1, "a,c") == 0.5)
        #expect(score(b22, 1, "1项") == 0.5)
        #expect(score(b22, 1, "符合所有条件") == 1)
    }

    @Test func thresholdLinear() {
        let b13 = "预算执行率95%以上，得满分；低于95%，每下降1%扣权重的1%；预算执行率60%以下，不计分。"
        let r = RuleRecogniser.recognise(b13, weight: 2)
        #expect(r.kind == .threshold)
        #expect(r.parameters.full == Comparison(.ge, 95))
        #expect(r.parameters.cutoff == Comparison(.le, 60))
        #expect(r.parameters.metric == "预算执行率")
        #expect(score(b13, 2, "95%") == 2)          // exactly at the threshold
        #expect(score(b13, 2, "96.86%") == 2)
        #expect(score(b13, 2, "0.9686") == 2)
        #expect(score(b13, 2, "7474490.38/7716520") == 2)
        #expect(score(b13, 2, "94%") == 1.98)
        #expect(score(b13, 2, "90%") == 1.9)
        #expect(score(b13, 2, "60.5%") == 1.31)
        #expect(score(b13, 2, "60%") == 0)          // 以下 includes 60
        #expect(score(b13, 2, "50%") == 0)          // below the cut-off
        #expect(score(b13, 2, "120%") == 2)          // above 100%
        let b12 = "预算完成率≥95%得满分，每低于1%扣0.2分，扣完为止。"
        #expect(score(b12, 4, "92%") == 3.4)
        #expect(score(b12, 4, "92.5%") == 3.5)
        #expect(score(b12, 4, "70%") == 0)           // 25 × 0.2 = 5 > 4: past zero
        let e = RuleEvaluator.evaluate(RuleRecogniser.recognise(b12, weight: 4), .percent(92))
        #expect(e.explanation == "92% < 95%: 3 × 0.2 = 0.6 扣 → 3.4")
        // Unseen wording: 不低于, 每少1个百分点, 扣权重的3%, full-width ％, Chinese numeral.
        let u = "完成率不低于９０％的，得满分；每少一个百分点扣权重的3%，扣完为止"
        #expect(kind(u, 10) == .threshold)
        #expect(score(u, 10, "88%") == 9.4)
        // 全部招满 = 100% (seed 000 C111).
        let c111 = "全部招满，得满分；每降低1%，扣权重的3%，扣完为止。"
        #expect(score(c111, 10, "127/127") == 10)
        #expect(score(c111, 10, "123/127") == 9.06)
        #expect(score(c111, 10, "全部招满") == 10)
        // Reverse threshold without deduction (seed 002 B31).
        let b31 = "在职人员控制率≤100%得满分，有超出不得分。"
        #expect(score(b31, 1, "100%") == 1)
        #expect(score(b31, 1, "100.5%") == 0)
        // Nothing stated below the threshold (seed 000 C221): no guess.
        #expect(score("高于80%，得满分；", 10, "85%") == 10)
        #expect(score("高于80%，得满分；", 10, "80%") == nil)
    }

    @Test func proportional() {
        let c11 = "（实际完成数/计划数）*100%*标准分。"
        #expect(kind(c11, 4) == .proportional)
        #expect(score(c11, 4, "90/100") == 3.6)
        #expect(score(c11, 4, "120/100") == 4)       // capped
        #expect(score("得分=预算执行率*标准分", 4, "96.86%") == 3.87)
        #expect(score("得分=预算执行率×标准分", 4, "0.5") == 2)
        #expect(score("按完成比例计分", 5, "80%") == 4)
        #expect(score(c11, 4, "是") == nil)
    }

    @Test func range() {
        let b13 = "三公经费控制率≤100%得满分，≥120%得0分，区间内按权重进行扣分。"
        #expect(kind(b13, 1) == .range)
        #expect(score(b13, 1, "100%") == 1)
        #expect(score(b13, 1, "90%") == 1)
        #expect(score(b13, 1, "110%") == 0.5)
        #expect(score(b13, 1, "115%") == 0.25)
        #expect(score(b13, 1, "120%") == 0)
        #expect(score(b13, 1, "130%") == 0)
    }

    @Test func tiers() {
        let c311 = "该指标权重10分，根据群众反馈情况评分。\n①满意度≥90%得10分；\n②90%＞满意度≥80%得8分\n③80%＞满意度≥70%得6分；\n④70%＞满意度≥60%得3分；\n⑤满意度<60%得0分;"
        #expect(kind(c311, 10) == .tiers)
        #expect(score(c311, 10, "90%") == 10)
        #expect(score(c311, 10, "89.99%") == 8)
        #expect(score(c311, 10, "80%") == 8)
        #expect(score(c311, 10, "79%") == 6)
        #expect(score(c311, 10, "60%") == 3)
        #expect(score(c311, 10, "59.9%") == 0)
        #expect(score(c311, 10, "95") == 10)
        let e = RuleEvaluator.evaluate(RuleRecogniser.recognise(c311, weight: 10), .percent(85))
        #expect(e.explanation == "85% ≥ 80% 且 < 90%: 得8分")
        // Unseen wording with words instead of symbols.
        let u = "满意度达到95%以上得5分；满意度在85%（含）以上、95%以下得3分；低于85%不得分"
        #expect(kind(u, 5) == .tiers)
        #expect(score(u, 5, "90%") == 3)
        #expect(score(u, 5, "84%") == 0)
    }

    @Test func perIncident() {
        let t = "保障政务大厅正常运转，得满分；存在一次未及时处理的，扣权重的10%，扣完为止。"
        #expect(kind(t, 5) == .perIncident)
        #expect(score(t, 5, "0") == 5)
        #expect(score(t, 5, "无") == 5)
        #expect(score(t, 5, "2次") == 4)
        #expect(score(t, 5, "11次") == 0)           // past zero
        #expect(score(t, 5, "是") == nil)           // ambiguous
        let a35 = "能够保障重点项目顺利实施的得满分，每有一项重点项目因资金不足无法完成，按权重（3分）的1/3扣分，扣完为止。"
        #expect(kind(a35, 3) == .perIncident)
        #expect(score(a35, 3, "1项") == 2)
        #expect(score(a35, 3, "3项") == 0)
        #expect(score("每存在一次扣权重的10%，扣完为止", 10, "3次") == 7)
    }

    @Test func veto() {
        let t = "不存在，得满分；存在1例，不得分。"
        #expect(kind(t) == .veto)
        #expect(score(t, 2, "0") == 2)
        #expect(score(t, 2, "不存在") == 2)
        #expect(score(t, 2, "1例") == 0)
        #expect(score(t, 2, "3例") == 0)
        let b331 = "符合相关要求，得满分；一项不符合，不得分。"
        #expect(kind(b331, 1) == .veto)
        #expect(score(b331, 1, "符合相关要求") == 1)
        #expect(score(b331, 1, "1项") == 0)
    }

    @Test func deadline() {
        let t = "年度内完成得满分，超出10天扣1分，扣完为止。"
        #expect(kind(t) == .deadline)
        #expect(score(t, 2, "按时") == 2)
        #expect(score(t, 2, "年度内完成") == 2)
        #expect(score(t, 2, "超期9天") == 2)
        #expect(score(t, 2, "超期10天") == 1)
        #expect(score(t, 2, "超期12天") == 1)
        #expect(score(t, 2, "超期35天") == 0)      // past zero
        #expect(score("每逾期五天扣0.5分，扣完为止", 2, "超期12天") == 1)
    }

    @Test func discretionary() {
        let t = "将部门详细工作目标与部门职能对应匹配，视匹配情况酌情得0-4分。"
        let r = RuleRecogniser.recognise(t, weight: 4)
        #expect(r.kind == .discretionary)
        #expect(r.parameters.minimum == 0 && r.parameters.maximum == 4)
        #expect(score(t, 4, "3分") == 3)
        #expect(score(t, 4, "5分") == nil)
        #expect(kind("有定期指导记录、考核结果，得1分，缺少项视情况酌情进行扣分。", 1) == .discretionary)
        // 完成得2分，未完成酌情扣分 (seed 002 C16): 完成 (or 是) is the full score.
        let c16 = "该指标权重2分，完成得2分，未完成酌情扣分分"
        #expect(score(c16, 2, "完成") == 2)
        #expect(score(c16, 2, "1.2") == 1.2)
    }

    @Test func manualWhenUnreadable() {
        #expect(kind("根据实际情况综合评价") == .manual)
        #expect(kind("") == .manual)
        let r = RuleRecogniser.recognise("根据实际情况综合评价", weight: 2)
        #expect(RuleEvaluator.evaluate(r, .number(2)).score == nil)
    }

    @Test func measuredValues() {
        #expect(MeasuredValue.parse("96.86%") == .percent(96.86))
        #expect(MeasuredValue.parse("９６.８６％") == .percent(96.86))
        #expect(MeasuredValue.parse("0.9686") == .number(0.9686))
        #expect(MeasuredValue.parse("7,474,490.38/7,716,520") == .ratio(7474490.38, 7716520))
        #expect(MeasuredValue.parse("2次") == .count(2, unit: "次"))
        #expect(MeasuredValue.parse("是") == .yesNo(true))
        #expect(MeasuredValue.parse("否") == .yesNo(false))
        #expect(MeasuredValue.parse("有效执行") == .text("有效执行"))
        #expect(MeasuredValue.parse("①③") == .items(["①", "③"]))
        #expect(MeasuredValue.parse("a,c") == .items(["a", "c"]))
        #expect(MeasuredValue.parse("超期12天") == .days(12))
        #expect(MeasuredValue.parse("4分") == .points(4))
        #expect(MeasuredValue.parse("  ") == nil)
    }

    @Test func normaliser() {
        #expect(CriteriaPhrases.normalise("预算执行率95%以上") == "预算执行率≥95%")
        #expect(CriteriaPhrases.normalise("每少一个百分点扣0.2分") == "每↓1%扣0.2分")
        #expect(CriteriaPhrases.normalise("不低于９０％") == "≥90%")
        #expect(CriteriaPhrases.normalise("存在一项不合理，扣二分") == "存在1项不合理,扣2分")
        #expect(CriteriaPhrases.chineseValue("二十五") == 25)
    }
}
