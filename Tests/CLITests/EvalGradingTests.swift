import Foundation
import XCTest

/// Human grading end to end with the real binaries: a generate-mode run of the clickbait fixtures
/// scored by SmolLM2 (as in EvalScoreTests), a grade sheet exported, filled in as two graders would
/// (UTF-8 with BOM from one, CP949 made by `iconv` from the other), imported, and reported. The
/// expected numbers are computed here in Python from the sheets and the store, not by the harness.
final class EvalGradingTests: XCTestCase {
    func eval(_ w: Workspace, _ args: [String]) throws -> Binaries.Result {
        try Binaries.run("eval", args + ["--db", w.db], cwd: w.dir)
    }

    /// Runs python3 with `script` in the workspace.
    func python(_ w: Workspace, _ script: String, _ args: [String] = []) throws -> Any {
        try Python.json("import os, sys; os.chdir(sys.argv[1])\n" + script, [w.dir] + args)
    }

    func gradeCount(_ w: Workspace) throws -> [String: Int] {
        try python(w, """
            import sqlite3, json
            c = sqlite3.connect('h.sqlite')
            print(json.dumps(dict(c.execute('select grader, count(*) from grades group by grader').fetchall())))
            """) as? [String: Int] ?? [:]
    }

    func testSheetOutAndGradesBackIntoTheReport() throws {
        let w = try Workspace("eval-grading")
        try w.editSpec("clickbait.yaml", replacing: "  normalize: mean", with: "  mode: generate\n  max_tokens: 6")
        try w.editSpec("clickbait.yaml", replacing: "  show: [title]", with: "  show: [title]\n  grading: {criteria: [accuracy, detail], category: category}")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let score = try eval(w, ["score", "specs/clickbait.yaml", "--model", EvalScoreTests.model, "--limit", "6"])
        XCTAssertEqual(score.status, 0, score.stderr)

        let sheet = try eval(w, ["grade-sheet", "run-2", "--out", "sheets/run-2.csv"])
        XCTAssertEqual(sheet.status, 0, sheet.stderr)
        XCTAssertEqual(sheet.stdout, "wrote sheets/run-2.csv: 6 items of run-2 to grade on accuracy, detail (grades 0, 1, 2, the default scale)\n")
        // The sheet, read by Python's csv module: BOM, CRLF, the header, and each item's prompt and answer.
        let shape = try python(w, """
            import csv, json, sqlite3
            raw = open('sheets/run-2.csv', 'rb').read()
            rows = list(csv.reader(raw.decode('utf-8-sig').splitlines(keepends=True)))
            valid = {json.loads(l)['id']: json.loads(l) for l in open('out/clickbait/valid.jsonl', encoding='utf-8')}
            c = sqlite3.connect('h.sqlite')
            stored = {i: (p, json.loads(f).get('_answer')) for i, p, f in c.execute('select item_id, predicted, fields from predictions where run_id = 2')}
            ok = all(r[1] == valid[r[0]]['category'] and r[2] == '%s\\n\\n제목: %s\\n답:' % (valid[r[0]]['instruction'], valid[r[0]]['title'])
                     and (r[3].lstrip("'"), r[4]) == (stored[r[0]][1], stored[r[0]][0]) and r[5] == valid[r[0]]['label'] and r[6:] == ['', '', '']
                     for r in rows[1:])
            print(json.dumps({'bom': raw[:3] == b'\\xef\\xbb\\xbf', 'crlf': raw.count(b'\\r\\n') >= 7, 'header': rows[0],
                              'ids': sorted(r[0] for r in rows[1:]) == sorted(stored), 'cells': ok}))
            """) as? [String: Any]
        XCTAssertEqual(shape?["bom"] as? Bool, true)
        XCTAssertEqual(shape?["crlf"] as? Bool, true)
        XCTAssertEqual(shape?["header"] as? [String], ["id", "category", "prompt", "output", "predicted", "gold", "accuracy", "detail", "grader"])
        XCTAssertEqual(shape?["ids"] as? Bool, true)
        XCTAssertEqual(shape?["cells"] as? Bool, true, "category, prompt, answer, label and gold of each item")

        // Two graders fill it in: kim as UTF-8 with a BOM (Excel's "CSV UTF-8"), 이 as CP949 (Excel's
        // plain "CSV" on Korean Windows), made by iconv. 이 leaves one item ungraded.
        let filled = try python(w, """
            import csv, io, json, subprocess
            rows = list(csv.reader(open('sheets/run-2.csv', encoding='utf-8-sig', newline='')))
            kim = [2, 1, 2, 0, 1, 2]; lee = [2, 2, 1, 0, 1, None]
            def write(path, grades, name, detail):
                out = io.StringIO()
                w = csv.writer(out)  # CRLF line ends
                w.writerow(rows[0])
                for r, g in zip(rows[1:], grades):
                    w.writerow(r[:6] + ['' if g is None else str(g), detail if g is not None else '', name if g is not None else ''])
                return out.getvalue()
            open('kim.csv', 'wb').write(b'\\xef\\xbb\\xbf' + write('kim.csv', kim, '', '1').encode('utf-8'))
            open('lee-utf8.csv', 'w', encoding='utf-8', newline='').write(write('lee.csv', lee, '이', '2'))
            subprocess.run('iconv -f UTF-8 -t CP949 lee-utf8.csv > lee.csv', shell=True, check=True)
            ids = [r[0] for r in rows[1:]]
            print(json.dumps({'ids': ids, 'kim': kim, 'lee': lee}))
            """) as? [String: Any]
        let ids = try XCTUnwrap(filled?["ids"] as? [String])

        let kim = try eval(w, ["import-grades", "run-2", "kim.csv", "--grader", "kim"])
        XCTAssertEqual(kim.status, 0, kim.stderr)
        XCTAssertEqual(kim.stdout, "run-2: stored kim (12 grades of 6 items) from kim.csv (read as UTF-8); 0 items have no grade in it\n")
        let lee = try eval(w, ["import-grades", "run-2", "lee.csv"])
        XCTAssertEqual(lee.status, 0, lee.stderr)
        XCTAssertEqual(lee.stdout, "run-2: stored 이 (10 grades of 5 items) from lee.csv (read as CP949); 1 item has no grade in it\n")

        // The report against the same numbers computed in Python: the mean of item means with a
        // Student-t interval is not recomputed here (EvaluationTests check it against scipy); the
        // mean, kappa (the textbook formula) and agreement with the label are.
        let expected = try python(w, """
            import json, sqlite3
            kim = [2, 1, 2, 0, 1, 2]; lee = [2, 2, 1, 0, 1, None]
            items = [(a + b) / 2 if b is not None else a for a, b in zip(kim, lee)]
            pairs = [(a, b) for a, b in zip(kim, lee) if b is not None]
            n = len(pairs); k = 3
            O = [[sum(1 for a, b in pairs if (a, b) == (i, j)) for j in range(k)] for i in range(k)]
            row = [sum(O[i]) for i in range(k)]; col = [sum(O[i][j] for i in range(k)) for j in range(k)]
            def kappa(w):
                return 1 - sum(w(i, j) * O[i][j] for i in range(k) for j in range(k)) / sum(w(i, j) * row[i] * col[j] / n for i in range(k) for j in range(k))
            c = sqlite3.connect('h.sqlite')
            ids = json.loads(sys.argv[2])
            preds = dict(((i, p == g) for i, p, g in c.execute('select item_id, predicted, gold from predictions where run_id = 2')))
            agree = sum(1 for i, m in zip(ids, items) if preds[i] == (m > 0)) / len(ids)
            print(json.dumps({'mean': sum(items) / len(items), 'quadratic': kappa(lambda i, j: (i - j) ** 2),
                              'unweighted': kappa(lambda i, j: 0 if i == j else 1), 'agreement': agree}))
            """, [String(decoding: try JSONSerialization.data(withJSONObject: ids), as: UTF8.self)]) as? [String: Double]
        let report = try eval(w, ["report", "run-2", "--format", "json"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let grades = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["grades"] as? [String: Any])
        XCTAssertEqual(grades["graders"] as? [String], ["kim", "이"])
        XCTAssertEqual(grades["items"] as? Int, 6)
        let accuracy = (grades["means"] as? [String: Any])?["accuracy"] as? [String: Any]
        XCTAssertEqual(((accuracy?["all"] as? [String: Any])?["mean"] as? Double) ?? -1, try XCTUnwrap(expected?["mean"]), accuracy: 1e-12)
        XCTAssertFalse((accuracy?["by_category"] as? [String: Any] ?? [:]).isEmpty, "means per news category")
        let pair = try XCTUnwrap((grades["agreement"] as? [[String: Any]])?.first { $0["criterion"] as? String == "accuracy" })
        XCTAssertEqual(pair["items"] as? Int, 5)
        XCTAssertEqual((pair["quadratic_kappa"] as? Double) ?? -9, try XCTUnwrap(expected?["quadratic"]), accuracy: 1e-12)
        XCTAssertEqual((pair["kappa"] as? Double) ?? -9, try XCTUnwrap(expected?["unweighted"]), accuracy: 1e-12)
        let labels = try XCTUnwrap(grades["label_agreement"] as? [String: Any], "a generate-mode run compares grades with the label")
        XCTAssertEqual((labels["agreement"] as? Double) ?? -1, try XCTUnwrap(expected?["agreement"]), accuracy: 1e-12)
        let html = try eval(w, ["report", "run-2"])
        XCTAssertEqual(html.status, 0, html.stderr)
        XCTAssertTrue(try String(contentsOfFile: w.dir + "/reports/run-2.html", encoding: .utf8).contains("<h2>Human grades</h2>"))
        let md = try eval(w, ["report", "run-2", "--format", "md"])
        XCTAssertTrue(md.stdout.contains("## human grades"), md.stdout)

        // A bad cell (row 4 of the sheet) or an unknown id refuses the whole sheet; nothing changes.
        let before = try gradeCount(w)
        XCTAssertEqual(before, ["kim": 12, "이": 10])
        try python(w, """
            data = open('kim.csv', 'rb').read().decode('utf-8-sig').split('\\r\\n')
            cells = data[3].split(','); cells[-3] = 'x'
            bad = data[:3] + [','.join(cells)] + data[4:]
            open('bad.csv', 'w', encoding='utf-8', newline='').write('\\r\\n'.join(bad))
            open('unknown.csv', 'w', encoding='utf-8', newline='').write('\\r\\n'.join(data[:2] + ['NO_SUCH_ID,,,,,,1,1,kim'] + data[2:]))
            print('null')
            """)
        let bad = try eval(w, ["import-grades", "run-2", "bad.csv", "--grader", "kim"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("error: bad.csv row 4: grade 'x' for 'accuracy' is not one of 0, 1, 2"), bad.stderr)
        let unknown = try eval(w, ["import-grades", "run-2", "unknown.csv", "--grader", "kim"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("error: unknown.csv row 3: no item 'NO_SUCH_ID' in the run"), unknown.stderr)
        XCTAssertEqual(try gradeCount(w), before, "a refused sheet stores nothing")

        // kim grades again, only the first item: kim's earlier grades are replaced, 이's stay.
        try python(w, """
            data = open('kim.csv', 'rb').read().decode('utf-8-sig').split('\\r\\n')
            blank = lambda line: ','.join(line.split(',')[:-3] + ['', '', ''])
            open('kim2.csv', 'w', encoding='utf-8', newline='').write('\\r\\n'.join(data[:2] + [blank(l) for l in data[2:] if l]))
            print('null')
            """)
        let again = try eval(w, ["import-grades", "run-2", "kim2.csv", "--grader", "kim"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try gradeCount(w), ["kim": 2, "이": 10])
    }

    /// On an imported run (no model needed): no `eval.grading`, or a bad scale, writes no sheet.
    func testASpecWithoutGradingOrABadScaleIsRefused() throws {
        let w = try Workspace("eval-grading-errors")
        XCTAssertEqual(try w.prep(["run", "specs/clickbait.yaml"]).status, 0)
        let ids = try Workspace.jsonl(w.clickbaitOut + "/valid.jsonl").prefix(2).map { "{\"id\": \"\($0["id"] as? String ?? "")\", \"predicted\": \"normal\"}" }
        try ids.joined(separator: "\n").write(toFile: w.dir + "/p.jsonl", atomically: true, encoding: .utf8)
        XCTAssertEqual(try eval(w, ["import", "p.jsonl", "--spec", "specs/clickbait.yaml"]).status, 0)
        let none = try eval(w, ["grade-sheet", "run-2", "--out", "s.csv"])
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stderr, "error: specs/clickbait.yaml: the spec has no `eval.grading` section; add one, e.g. `grading: {criteria: [accuracy, detail], scale: [0, 1, 2], category: type}`\n")
        XCTAssertFalse(w.exists("s.csv"))
        try w.editSpec("clickbait.yaml", replacing: "  show: [title]", with: "  show: [title]\n  grading: {criteria: [accuracy], scale: [0, 1, x]}")
        let scale = try eval(w, ["grade-sheet", "run-2", "--out", "s.csv"])
        XCTAssertEqual(scale.status, 2)
        XCTAssertTrue(scale.stderr.hasPrefix("error: specs/clickbait.yaml:"), scale.stderr)
        XCTAssertTrue(scale.stderr.contains("eval.grading.scale[2]: grade 'x' is not a whole number"), scale.stderr)
        let help = try Binaries.run("eval", ["grade-sheet", "--help"])
        XCTAssertTrue(help.stdout.contains("bin/eval grade-sheet run-3 --out grades/run-3.csv"), help.stdout)
    }
}
