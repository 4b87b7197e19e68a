import Evaluation
import Foundation
import JSON
import XCTest

/// Student-t quantiles and intervals against scipy 1.17.1 (`scipy.stats.t.ppf(0.975, df)` and
/// `t.interval(0.95, n - 1, loc=mean, scale=sem)`), computed once by fixtures/metrics/make_grading.py
/// into fixtures/metrics/grading_reference.json; and the mean grade per criterion and category.
final class GradeMeansTests: XCTestCase {
    private func reference() throws -> JSONValue {
        try JSONParser.parse(try String(contentsOfFile: "\(MetricFixtures.dir)/grading_reference.json", encoding: .utf8))
    }

    func testTQuantilesAgreeWithScipy() throws {
        guard case let .object(q)? = try reference()["t_quantiles"] else { return XCTFail("no quantiles") }
        XCTAssertEqual(q.count, 11)
        for (df, value) in q {
            let expected = value.double
            XCTAssertEqual(StudentT.quantile(0.975, df: Double(df)!), expected, accuracy: 1e-9 * expected, "df \(df)")
            XCTAssertEqual(StudentT.quantile(0.025, df: Double(df)!), -expected, accuracy: 1e-9 * expected, "df \(df)")
        }
        XCTAssertEqual(StudentT.cdf(0, df: 7), 0.5, accuracy: 1e-15)
    }

    func testMeanIntervalsAgreeWithScipy() throws {
        guard case let .object(cases)? = try reference()["means"] else { return XCTFail("no mean cases") }
        XCTAssertEqual(cases.count, 4)
        for (name, c) in cases {
            guard case let .array(v)? = c["values"] else { return XCTFail(name) }
            let values = v.compactMap(\.double)
            let interval = try XCTUnwrap(Interval.studentT(mean: values), name)
            XCTAssertEqual(interval.low, c["low"]!.double, accuracy: 1e-9, name)
            XCTAssertEqual(interval.high, c["high"]!.double, accuracy: 1e-9, name)
        }
        XCTAssertNil(Interval.studentT(mean: [2]), "one value has no spread")
        let flat = try XCTUnwrap(Interval.studentT(mean: [1, 1, 1]))
        XCTAssertEqual(flat.low, 1); XCTAssertEqual(flat.high, 1)
    }

    func testMeansPerCriterionAndCategoryAverageGradersPerItemFirst() throws {
        let grades = [
            // Item a is graded by two people: its accuracy grade is (2 + 0) / 2 = 1, counted once.
            Grade(itemID: "a", grader: "kim", criterion: "accuracy", value: 2, category: "news"),
            Grade(itemID: "a", grader: "lee", criterion: "accuracy", value: 0, category: "news"),
            Grade(itemID: "b", grader: "kim", criterion: "accuracy", value: 2, category: "news"),
            Grade(itemID: "c", grader: "kim", criterion: "accuracy", value: 0, category: "sport"),
            Grade(itemID: "a", grader: "kim", criterion: "detail", value: 1, category: "news"),
        ]
        let m = GradeMeans(grades, criteria: ["accuracy", "detail"], scale: [0, 1, 2])
        XCTAssertEqual(m.rows.map { "\($0.criterion)/\($0.category ?? "all")" }, ["accuracy/all", "accuracy/news", "accuracy/sport", "detail/all", "detail/news"])
        let all = m.rows[0]
        XCTAssertEqual(all.items, 3)
        XCTAssertEqual(all.mean, 1, accuracy: 1e-15, "(1 + 2 + 0) / 3 items")
        // Raw interval 1 ± 4.303 × 1/√3 reaches past both ends of 0..2: it is clipped to the scale.
        XCTAssertEqual(all.low, 0); XCTAssertEqual(all.high, 2)
        let news = m.rows[1]
        XCTAssertEqual(news.items, 2); XCTAssertEqual(news.mean, 1.5, accuracy: 1e-15)
        XCTAssertNil(m.rows[2].low, "one item: no interval")
        XCTAssertEqual(m.rows[3].mean, 1)
    }

    func testAnIntervalInsideTheScaleIsNotClipped() throws {
        let values = [1, 1, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1, 2, 1]
        let grades = values.enumerated().map { Grade(itemID: "i\($0.offset)", grader: "g", criterion: "accuracy", value: $0.element) }
        let row = try XCTUnwrap(GradeMeans(grades, criteria: ["accuracy"], scale: [0, 1, 2]).rows.first)
        let raw = try XCTUnwrap(Interval.studentT(mean: values.map(Double.init)))
        XCTAssertEqual(row.low, raw.low); XCTAssertEqual(row.high, raw.high)
        XCTAssertLessThan(raw.high, 2); XCTAssertGreaterThan(raw.low, 0)
    }
}
