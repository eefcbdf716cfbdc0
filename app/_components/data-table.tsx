"use client";

// Every table in Ferry: sorting, a text filter and pagination through @tanstack/react-table.
import { useState } from "react";
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp } from "lucide-react";
import { useTranslations } from "next-intl";
import { Input, ViewButton } from "./ui";

const PAGER_STYLE = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50";

const DEFAULT_PAGE_SIZE = 25;

export function DataTable<Row>({
  columns,
  data,
  filterPlaceholder,
  emptyMessage,
  label,
}: {
  columns: ColumnDef<Row, unknown>[];
  data: Row[];
  filterPlaceholder?: string;
  emptyMessage: string;
  label: string;
}) {
  const t = useTranslations("table");
  const [sorting, setSorting] = useState<SortingState>([]);
  const [globalFilter, setGlobalFilter] = useState("");
  // eslint-disable-next-line react-hooks/incompatible-library -- tanstack table returns fresh functions by design
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize: DEFAULT_PAGE_SIZE } },
  });
  const rows = table.getRowModel().rows;

  return (
    <div className="space-y-2">
      {filterPlaceholder && data.length > 5 ? (
        <Input
          aria-label={t("filter", { label })}
          placeholder={filterPlaceholder}
          value={globalFilter}
          onChange={(event) => setGlobalFilter(event.target.value)}
          className="max-w-xs"
        />
      ) : null}
      <div className="overflow-x-auto rounded-md border border-slate-200">
        <table className="w-full text-left text-sm" aria-label={label}>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            {table.getHeaderGroups().map((headerGroup) => (
              <tr key={headerGroup.id}>
                {headerGroup.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className="px-3 py-2 font-medium"
                      aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <ViewButton onActivate={() => header.column.toggleSorting()} className="inline-flex items-center gap-1 uppercase hover:text-slate-800">
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          {sorted === "asc" ? (
                            <ArrowUp aria-hidden className="h-3 w-3" />
                          ) : sorted === "desc" ? (
                            <ArrowDown aria-hidden className="h-3 w-3" />
                          ) : null}
                        </ViewButton>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-500">
                  {emptyMessage}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id} className="hover:bg-slate-50">
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-2 align-middle">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {table.getPageCount() > 1 ? (
        <div className="flex items-center justify-end gap-2 text-xs text-slate-500">
          <span>{t("page", { page: table.getState().pagination.pageIndex + 1, pages: table.getPageCount() })}</span>
          <ViewButton className={PAGER_STYLE} onActivate={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
            {t("previous")}
          </ViewButton>
          <ViewButton className={PAGER_STYLE} onActivate={() => table.nextPage()} disabled={!table.getCanNextPage()}>
            {t("next")}
          </ViewButton>
        </div>
      ) : null}
    </div>
  );
}
