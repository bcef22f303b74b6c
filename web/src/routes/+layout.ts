// A single-page app: nothing is rendered on a server. The shell is prerendered, and adapter-static
// writes 200.html as the fallback that CloudFront and the local runtime serve for any other path.
export const ssr = false;
export const prerender = true;
