import Foundation
import WhyDeniedTUI

/// The interactive loop on a real terminal: read a key (50 ms timeout), apply it and any
/// messages effects sent back, hand new effects to the performer, redraw when the state
/// changed. All ncurses calls stay on the main actor; effects run elsewhere and come back
/// through a locked queue.
///
/// ```swift
/// let final = try await TerminalLoop.run(state, performer: driver, environment: env)
/// ```
@MainActor
public enum TerminalLoop {
    /// `interrupted` is asked between keys: true (a signal asked the session to end) closes the
    /// screen and returns, as quitting does.
    public static func run(_ initial: GuidedState, performer: any EffectPerformer, environment: [String: String],
                           color: ColorChoice = .auto,
                           interrupted: @Sendable () -> Bool = { false }) throws(NCursesScreen.StartError) -> GuidedState {
        let screen = try NCursesScreen.start(environment: environment, color: color)
        defer { screen.stop() }
        let inbox = MessageInbox()
        let send: @Sendable (Message) -> Void = { inbox.post($0) }
        var state = initial
        state.size = screen.size
        state.now = Date()
        screen.draw(Guided.view(state))
        var lastTick = Date()
        var quit = false
        var paste = BracketedPaste()
        while !quit && !interrupted() {
            var messages: [Message] = []
            // Wait briefly for the first key, then take whatever else is already typed (a paste
            // arrives as hundreds of keys) so the screen is drawn once per batch, not per key.
            // A bracketed paste comes back from `paste` as one message, however long.
            var input = screen.read(timeoutMilliseconds: 50)
            var decoded: [TerminalInput] = []
            while let next = input, messages.count + decoded.count < 4096 {
                decoded += paste.feed(next)
                input = screen.read(timeoutMilliseconds: 0)
            }
            if input == nil { decoded += paste.flush() }
            for next in decoded {
                switch next {
                case .key(let key): messages.append(.key(key))
                case .resized: messages.append(.resized(screen.size))
                case .paste(let text): messages.append(.paste(text))
                case .mouse(let event): messages.append(.mouse(event))
                case .ignored: break
                }
            }
            messages += inbox.drain()
            let now = Date()
            // The spinner needs ~10 frames a second; otherwise once a second keeps the time frame fresh.
            if now.timeIntervalSince(lastTick) >= (state.running != nil ? 0.1 : 1.0) {
                messages.append(.tick(now))
                lastTick = now
            }
            guard !messages.isEmpty else { continue }
            let before = state
            for message in messages {
                let (next, effects) = Guided.update(state, message)
                state = next
                for effect in effects {
                    switch effect {
                    case .quit: quit = true
                    // The clipboard is the terminal's: only this loop may write to it.
                    case .copyToClipboard(let text): screen.copyToClipboard(text)
                    default: performer.perform(effect, send: send)
                    }
                }
            }
            if state != before { screen.draw(Guided.view(state)) }
        }
        return state
    }
}

/// Messages posted from effect tasks on any thread, drained by the UI loop.
final class MessageInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Message] = []

    func post(_ message: Message) {
        lock.lock()
        pending.append(message)
        lock.unlock()
    }

    func drain() -> [Message] {
        lock.lock()
        defer { lock.unlock() }
        let messages = pending
        pending = []
        return messages
    }
}
