"""The shared bottom layer: channel-neutral messages, the notifier interface, the clock and
priorities. Every other package may import it; it imports none of them (docs/architecture.md)."""
