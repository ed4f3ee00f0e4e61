struct BehaviorConformance {
    func run(_ json: CaseJSON) throws { throw CaseError("behavior runner not written yet") }
}
