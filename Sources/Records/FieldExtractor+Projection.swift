import JSON

extension FieldPath {
    /// The path's steps as a projection sees them (any index is every element).
    var projectionSteps: [JSONProjection.Step] {
        steps.map { step in
            switch step {
            case let .key(k): return .key(k)
            case .everyElement, .element: return .elements
            }
        }
    }
}

extension FieldRule {
    /// The paths this rule reads.
    var paths: [FieldPath] {
        switch self {
        case let .path(p), let .json(p): return [p]
        case let .first(rules): return rules.flatMap(\.paths)
        case let .join(p, _, alternative): return [p] + (alternative?.paths ?? [])
        case let .map(inner, _, _): return inner.paths
        case .constant, .page, .location: return []
        }
    }
}

extension FieldExtractor {
    /// What of a document these fields read, for `JSONParser.parse(_:keeping:)`. Relative paths are
    /// read from each element `records` names, else from the document or from each element of a
    /// top-level array; `$root.` paths from the document.
    public func projection(records: FieldPath? = nil) -> JSONProjection {
        var relative = JSONProjection(), root = JSONProjection()
        for path in fields.flatMap(\.rule.paths) {
            if path.fromRoot { root.add(path.projectionSteps) } else { relative.add(path.projectionSteps) }
        }
        var keep = root
        if let records {
            keep.add(relative, under: records.projectionSteps[...])
        } else {
            keep.merge(relative)
            keep.add(relative, under: [.elements])
        }
        return keep
    }
}

extension JSONProjection {
    /// Keeps everything `path` reaches. `$root.` paths are added as written; callers decide which
    /// document a path is read from (`FieldExtractor.projection` does).
    public mutating func add(_ path: FieldPath) { add(path.projectionSteps) }
}
