#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HPAController
import KubeAPI
import Testing

/// The core/v1 recorder's correlation: repeats, aggregation of similar events and the spam
/// filter, on a manual clock with the in-memory event client.
@Suite struct EventRecorderTests {
    let clock = ManualControllerClock()
    let client = InMemoryEventClient()
    var recorder: EventRecorder { EventRecorder(client: client, clock: clock) }
    let hpa = World.cpuHPA("web")

    @Test func identicalRepeatsPatchTheFirstEvent() async throws {
        let recorder = self.recorder
        for _ in 0..<3 {
            await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: 4")
            clock.advance(by: 30)
        }
        #expect(client.postCount == 1)
        #expect(client.patchCount == 2)
        let event = try #require(client.events.first)
        #expect(client.events.count == 1)
        #expect(event.count == 3)
        #expect(event.source?.component == "horizontal-pod-autoscaler")
        #expect(event.lastTimestamp == KubeTime(clock.now().addingTimeInterval(-30)))
        #expect(event.firstTimestamp == KubeTime(clock.now().addingTimeInterval(-90)))
    }

    @Test func repeatOfAnExpiredEventIsPostedAgain() async throws {
        let recorder = self.recorder
        await recorder.record(hpa, type: .warning, reason: "FailedGetScale", message: "boom")
        let name = try #require(client.events.first?.metadata.name)
        client.expire(name: name)
        await recorder.record(hpa, type: .warning, reason: "FailedGetScale", message: "boom")
        #expect(client.postCount == 2)
        #expect(client.events.first?.count == 2)
    }

    @Test func similarEventsAreCombinedFromTheTenthDistinctMessage() async throws {
        let recorder = self.recorder
        for index in 1...11 {
            await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: \(index)")
            clock.advance(by: 10)
        }
        // Nine plain events, then one combined event, POSTed for the 10th and PATCHed for the 11th.
        #expect(client.postCount == 10)
        #expect(client.patchCount == 1)
        let combined = client.events.filter { $0.message?.hasPrefix("(combined from similar events): ") == true }
        #expect(combined.count == 1)
        #expect(combined.first?.message == "(combined from similar events): New size: 11")
        #expect(combined.first?.count == 2)
        #expect(client.events.count == 10)
    }

    @Test func aggregationForgetsAfterTenQuietMinutesAndKeepsReasonsApart() async {
        let recorder = self.recorder
        for index in 1...9 {
            await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: \(index)")
        }
        // Another reason is another group; it does not tip the first one over.
        await recorder.record(hpa, type: .warning, reason: "FailedGetScale", message: "other")
        clock.advance(by: 601)
        await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: 10")
        #expect(client.events.allSatisfy { $0.message?.hasPrefix("(combined") != true })
        #expect(client.postCount == 11)
    }

    @Test func spamFilterDropsTheTwentySixthAndRefillsOneEveryFiveMinutes() async {
        let recorder = self.recorder
        for _ in 1...26 {
            await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: 4")
        }
        #expect(client.postCount + client.patchCount == 25)
        #expect(await recorder.droppedEvents == 1)
        // Another HPA has its own bucket.
        await recorder.record(World.cpuHPA("api"), type: .normal, reason: "SuccessfulRescale", message: "New size: 2")
        #expect(client.postCount == 2)

        clock.advance(by: 299)
        await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: 4")
        #expect(await recorder.droppedEvents == 2)
        clock.advance(by: 1)
        await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: 4")
        #expect(await recorder.droppedEvents == 2)
        #expect(client.patchCount == 25)
        // The written repeat carries every occurrence, dropped ones included.
        #expect(client.events.first { $0.involvedObject.name == "web" }?.count == 28)
        await recorder.record(hpa, type: .normal, reason: "SuccessfulRescale", message: "New size: 4")
        #expect(await recorder.droppedEvents == 3)
    }
}
