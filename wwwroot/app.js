// Small helpers the pages call through JS interop.
window.charRnn = {
    copyText: text => navigator.clipboard.writeText(text),
};
