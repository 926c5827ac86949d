// Small helpers the pages call through JS interop.
window.charRnn = {
    copyText: text => navigator.clipboard.writeText(text),
    /**
     * The characters last selected inside the element `selector` finds, as [start, end) of their data-i positions, or
     * null. Remembered as the selection changes, since clicking a button may clear it before the click is handled.
     */
    selectedSpan: selector => {
        const element = document.querySelector(selector);
        return element && element.dataset.selected ? element.dataset.selected.split('-').map(Number) : null;
    },
};

// Remembers the stretch of an Inside text last selected (see selectedSpan), on the element itself.
document.addEventListener('selectionchange', () => {
    const selection = getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const position = node => {
        const span = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node)?.closest?.('[data-i]');
        return span ? { span, index: Number(span.dataset.i), length: span.textContent.length } : null;
    };
    const first = position(range.startContainer), last = position(range.endContainer);
    const text = first?.span.closest('[data-testid=inside-text]');
    if (!first || !last || !text || !text.contains(last.span)) return;
    const start = range.startContainer.nodeType === Node.TEXT_NODE && range.startOffset >= first.length ? first.index + 1 : first.index;
    const end = range.endOffset === 0 ? last.index : last.index + 1;
    if (end > start) text.dataset.selected = `${start}-${end}`;
});
