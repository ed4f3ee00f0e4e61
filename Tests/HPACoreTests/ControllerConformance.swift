struct ControllerConformance {
    func run(_ json: CaseJSON) throws { throw CaseError("controller runner not written yet") }
}
