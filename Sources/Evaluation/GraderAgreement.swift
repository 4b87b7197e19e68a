/// How far two graders agree, per criterion, on the items both of them graded: the share of equal
/// grades and Cohen's kappa, unweighted and quadratic-weighted (`CohenKappa`).
public struct GraderAgreement: Equatable, Sendable {
    public let criterion: String
    public let graders: (String, String)
    /// Items both graded on this criterion.
    public let items: Int
    /// The share of those items given the same grade.
    public let exact: Double
    /// Nil when undefined (see `CohenKappa.kappa`).
    public let kappa: Double?
    public let quadraticKappa: Double?

    public static func == (a: GraderAgreement, b: GraderAgreement) -> Bool {
        a.criterion == b.criterion && a.graders == b.graders && a.items == b.items && a.exact == b.exact
            && a.kappa == b.kappa && a.quadraticKappa == b.quadraticKappa
    }

    /// Every pair of graders (names in order) that graded at least one item in common, per criterion.
    public static func pairs(_ grades: [Grade], criteria: [String], scale: [Int]) -> [GraderAgreement] {
        var out: [GraderAgreement] = []
        for criterion in criteria {
            var byGrader: [String: [String: Int]] = [:]
            for g in grades where g.criterion == criterion { byGrader[g.grader, default: [:]][g.itemID] = g.value }
            let names = byGrader.keys.sorted()
            for (i, first) in names.enumerated() {
                for second in names[(i + 1)...] {
                    let a = byGrader[first]!, b = byGrader[second]!
                    let shared = a.keys.filter { b[$0] != nil }.sorted()
                    guard !shared.isEmpty else { continue }
                    let x = shared.map { a[$0]! }, y = shared.map { b[$0]! }
                    out.append(GraderAgreement(criterion: criterion, graders: (first, second), items: shared.count,
                                               exact: Double(zip(x, y).filter { $0 == $1 }.count) / Double(shared.count),
                                               kappa: CohenKappa.kappa(x, y, scale: scale, weights: .unweighted),
                                               quadraticKappa: CohenKappa.kappa(x, y, scale: scale, weights: .quadratic)))
                }
            }
        }
        return out
    }
}
