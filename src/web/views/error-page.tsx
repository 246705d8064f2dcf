import { Layout, type PageContext } from "./layout.tsx";

export function ErrorPage({ ctx, message }: { ctx: PageContext; message: string }) {
  return (
    <Layout ctx={ctx} title={ctx.t("error.title")}>
      <h1>{ctx.t("error.title")}</h1>
      <p>{message}</p>
      <p>
        <a href="/">{ctx.t("nav.letters")}</a>
      </p>
    </Layout>
  );
}
