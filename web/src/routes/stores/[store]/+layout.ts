// Any store slug: pages are built in the browser from the 200.html shell, never prerendered.
export const prerender = false;
